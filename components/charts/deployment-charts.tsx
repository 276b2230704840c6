"use client";
// Live charts of one deployment: props are prepared series; they decide nothing.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface DeploymentChartPoint {
  t: string;
  requestsPerMinute: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  concurrency: number;
  readyReplicas: number;
  desiredReplicas: number;
}

const AXIS = { fontSize: 11, fill: "currentColor" };

function Chart({ title, data, lines, unit }: { title: string; data: DeploymentChartPoint[]; lines: { key: keyof DeploymentChartPoint; name: string; color: string; step?: boolean }[]; unit?: string }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-44 text-zinc-500 dark:text-zinc-400">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
            <XAxis dataKey="t" tick={AXIS} minTickGap={32} />
            <YAxis tick={AXIS} unit={unit} allowDecimals={false} width={unit ? 64 : 32} />
            <Tooltip contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {lines.map((l) => (
              <Line key={l.key} type={l.step ? "stepAfter" : "monotone"} dataKey={l.key} name={l.name} stroke={l.color} dot={data.filter((d) => d[l.key] !== null).length === 1 ? { r: 3, fill: l.color, strokeWidth: 0 } : false} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function DeploymentCharts({ data }: { data: DeploymentChartPoint[] }) {
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <Chart title="Requests per minute" data={data} lines={[{ key: "requestsPerMinute", name: "req/min", color: "#2563eb" }]} />
      <Chart title="Time to first token" unit=" ms" data={data} lines={[{ key: "ttftP50Ms", name: "p50", color: "#16a34a" }, { key: "ttftP95Ms", name: "p95", color: "#d97706" }]} />
      <Chart title="Requests in flight" data={data} lines={[{ key: "concurrency", name: "active + queued", color: "#7c3aed" }]} />
      <Chart title="Replicas" data={data} lines={[{ key: "readyReplicas", name: "ready", color: "#16a34a", step: true }, { key: "desiredReplicas", name: "desired", color: "#64748b", step: true }]} />
    </div>
  );
}
