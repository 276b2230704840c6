"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Examples by length in tokens. */
export function LengthHistogramChart({ bins }: { bins: { from: number; to: number; count: number }[] }) {
  const data = bins.map((b) => ({ range: `${b.from}-${b.to}`, count: b.count }));
  return (
    <div className="h-44 w-full" role="img" aria-label="Examples by length in tokens">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
          <XAxis dataKey="range" tick={{ fontSize: 10, fill: "currentColor" }} interval="preserveStartEnd" minTickGap={8} />
          <YAxis tick={{ fontSize: 11, fill: "currentColor" }} width={40} allowDecimals={false} />
          <Tooltip formatter={(v) => [String(v), "examples"]} labelFormatter={(l) => `${l} tokens`} />
          <Bar dataKey="count" fill="#ea580c" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
