"use client";

// Stacked bars over time buckets. Draws prepared series only; a click reports the bucket and series.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { BUCKET_AXIS, BUCKET_GRID, BUCKET_LEGEND_STYLE, type BucketChartProps } from "./bucket-chart";

export interface SeriesKey {
  key: string;
  label: string;
  color: string;
}

export function BarSeriesChart({
  data,
  series,
  formatX,
  formatY,
  onSelect,
}: BucketChartProps & {
  series: SeriesKey[];
  onSelect?: (bucket: string, key: string) => void;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid {...BUCKET_GRID} />
        <XAxis dataKey="bucket" tickFormatter={formatX} minTickGap={24} {...BUCKET_AXIS} />
        <YAxis tickFormatter={formatY} width={64} {...BUCKET_AXIS} />
        <Tooltip
          labelFormatter={(v) => formatX(String(v))}
          formatter={(v) => formatY(Number(v))}
          contentStyle={{ background: "var(--tooltip-bg, #fff)", color: "inherit", fontSize: 12, borderRadius: 6 }}
          cursor={{ fillOpacity: 0.08 }}
        />
        <Legend wrapperStyle={BUCKET_LEGEND_STYLE} />
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="stack"
            fill={s.color}
            isAnimationActive={false}
            cursor={onSelect ? "pointer" : undefined}
            onClick={onSelect ? (d: { payload?: { bucket?: string } }) => d.payload?.bucket && onSelect(d.payload.bucket, s.key) : undefined}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
