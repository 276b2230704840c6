"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface LossCurvePoint {
  step: number;
  trainLoss: number;
  valLoss: number | null;
}

/** Train and validation loss by step, drawn from stored points. */
export function LossCurveChart({ points }: { points: LossCurvePoint[] }) {
  return (
    <div className="h-72 w-full" role="img" aria-label={`Loss curve over ${points.length} steps`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
          <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} tick={{ fontSize: 12, fill: "currentColor" }} label={{ value: "step", position: "insideBottomRight", offset: -4, fontSize: 12, fill: "currentColor" }} />
          <YAxis tick={{ fontSize: 12, fill: "currentColor" }} width={48} domain={[0, "auto"]} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} labelFormatter={(l) => `step ${l}`} />
          <Legend />
          <Line type="monotone" dataKey="trainLoss" name="train loss" stroke="#ea580c" dot={false} strokeWidth={2} isAnimationActive={false} />
          <Line type="monotone" dataKey="valLoss" name="validation loss" stroke="#2563eb" dot={{ r: 3 }} strokeWidth={2} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
