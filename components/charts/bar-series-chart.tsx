"use client";

// Stacked bars over time buckets. Draws prepared series only; a click reports the bucket and series.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

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
}: {
  data: Array<Record<string, unknown> & { bucket: string }>;
  series: SeriesKey[];
  formatX: (bucket: string) => string;
  formatY: (v: number) => string;
  onSelect?: (bucket: string, key: string) => void;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={formatX} tick={{ fontSize: 11, fill: "currentColor" }} minTickGap={24} stroke="currentColor" strokeOpacity={0.3} />
        <YAxis tickFormatter={formatY} tick={{ fontSize: 11, fill: "currentColor" }} width={64} stroke="currentColor" strokeOpacity={0.3} />
        <Tooltip
          labelFormatter={(v) => formatX(String(v))}
          formatter={(v) => formatY(Number(v))}
          contentStyle={{ background: "var(--tooltip-bg, #fff)", color: "inherit", fontSize: 12, borderRadius: 6 }}
          cursor={{ fillOpacity: 0.08 }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
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
