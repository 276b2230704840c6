"use client";

// Lines over time buckets, with an optional horizontal reference (a budget). Draws prepared series only.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { BUCKET_AXIS, BUCKET_GRID, BUCKET_LEGEND_STYLE, type BucketChartProps } from "./bucket-chart";

export interface LineKey {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
}

/** A dot where a value has no value on either side: a line needs two points, so it would not show. */
function isolatedDot(data: Array<Record<string, unknown>>, key: string, p: { cx?: number; cy?: number; index?: number }, color: string) {
  const i = p.index ?? -1;
  const has = (j: number) => data[j]?.[key] != null;
  const show = has(i) && !has(i - 1) && !has(i + 1) && p.cx !== undefined && p.cy !== undefined;
  return <circle key={`${key}-${i}`} cx={p.cx} cy={p.cy} r={show ? 3 : 0} fill={color} stroke="none" />;
}

export function LineSeriesChart({
  data,
  lines,
  formatX,
  formatY,
  reference,
  onSelect,
}: BucketChartProps & {
  lines: LineKey[];
  reference?: { y: number; label: string };
  onSelect?: (bucket: string) => void;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
        onClick={onSelect ? (state) => state?.activeLabel && onSelect(String(state.activeLabel)) : undefined}
      >
        <CartesianGrid {...BUCKET_GRID} />
        <XAxis dataKey="bucket" tickFormatter={formatX} minTickGap={24} {...BUCKET_AXIS} />
        <YAxis tickFormatter={formatY} width={80} {...BUCKET_AXIS} />
        <Tooltip labelFormatter={(v) => formatX(String(v))} formatter={(v) => (v === null ? "—" : formatY(Number(v)))} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
        <Legend wrapperStyle={BUCKET_LEGEND_STYLE} />
        {reference ? <ReferenceLine y={reference.y} stroke="#dc2626" strokeDasharray="6 4" label={{ value: reference.label, position: "insideTopRight", fontSize: 11, fill: "#dc2626" }} /> : null}
        {lines.map((l) => (
          <Line
            key={l.key}
            type="monotone"
            dataKey={l.key}
            name={l.label}
            stroke={l.color}
            strokeWidth={2}
            strokeDasharray={l.dashed ? "4 3" : undefined}
            dot={(p: { cx?: number; cy?: number; index?: number }) => isolatedDot(data, l.key, p, l.color)}
            connectNulls={false}
            isAnimationActive={false}
            cursor={onSelect ? "pointer" : undefined}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
