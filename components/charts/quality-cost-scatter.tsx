"use client";

// Quality against cost (log axis) per model: frontier points in colour joined by a line, dominated
// points grey; the tooltip names who dominates a point and how. Draws prepared points only.
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";

export interface ScatterPointView {
  id: string;
  label: string;
  x: number;
  quality: number;
  costText: string;
  p50Text: string;
  /** For the point size: larger is slower. */
  p50: number;
  onFrontier: boolean;
  dominatedBy: string[];
}

function TooltipBody({ active, payload }: { active?: boolean; payload?: Array<{ payload: ScatterPointView }> }) {
  if (!active || !payload?.length) return null;
  const p = payload[0].payload;
  return (
    <div className="max-w-xs rounded-md border border-zinc-200 bg-white p-2 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
      <p className="font-semibold">{p.label}</p>
      <p>
        quality {p.quality.toFixed(3)} · {p.costText} per 1,000 cases · p50 TTFT {p50Label(p)}
      </p>
      {p.onFrontier ? <p className="text-green-700 dark:text-green-400">On the frontier: nothing is both better and cheaper.</p> : p.dominatedBy.map((d) => <p key={d} className="text-zinc-500">Dominated by {d}</p>)}
    </div>
  );
}
const p50Label = (p: ScatterPointView) => p.p50Text;

export function QualityCostScatter({
  points,
  frontier,
  domain,
  ticks,
  formatX,
  onSelect,
}: {
  points: ScatterPointView[];
  frontier: ScatterPointView[];
  domain: [number, number];
  ticks: number[];
  formatX: (x: number) => string;
  onSelect?: (id: string) => void;
}) {
  const click = (d: { payload?: ScatterPointView }) => d.payload && onSelect?.(d.payload.id);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ScatterChart margin={{ top: 12, right: 24, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
        <XAxis type="number" dataKey="x" scale="log" domain={domain} ticks={ticks} allowDataOverflow tickFormatter={formatX} tick={{ fontSize: 11, fill: "currentColor" }} stroke="currentColor" strokeOpacity={0.3} label={{ value: "cost per 1,000 cases (log)", position: "insideBottom", offset: -14, fontSize: 11, fill: "currentColor" }} />
        <YAxis type="number" dataKey="quality" domain={[0, 1]} tick={{ fontSize: 11, fill: "currentColor" }} stroke="currentColor" strokeOpacity={0.3} label={{ value: "quality", angle: -90, position: "insideLeft", fontSize: 11, fill: "currentColor" }} />
        <ZAxis type="number" dataKey="p50" range={[80, 400]} />
        <Tooltip content={<TooltipBody />} cursor={{ strokeDasharray: "3 3" }} />
        <Scatter name="Pareto frontier" data={frontier} fill="#ea580c" line={{ stroke: "#ea580c", strokeWidth: 2 }} isAnimationActive={false} cursor="pointer" onClick={click} />
        <Scatter name="Dominated" data={points.filter((p) => !p.onFrontier)} fill="#a1a1aa" isAnimationActive={false} cursor="pointer" onClick={click} />
      </ScatterChart>
    </ResponsiveContainer>
  );
}
