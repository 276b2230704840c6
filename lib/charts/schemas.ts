// Chart query input: a time range and filters, shared by the page, the GET route and the CSV export.
import { z } from "zod";

export const RANGES = ["1h", "24h", "7d", "30d", "custom"] as const;
export type RangeKey = (typeof RANGES)[number];
export const RANGE_MS: Record<Exclude<RangeKey, "custom">, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean)));

export const usageFilterSchema = z.object({
  model: list,
  provider: list,
  deployment: list,
  user: list,
  apiKey: list,
  source: list,
});
export type UsageFilters = z.output<typeof usageFilterSchema>;

export const chartQuerySchema = usageFilterSchema
  .extend({
    range: z.enum(RANGES).default("24h"),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.range !== "custom") return;
    if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "A custom range needs a start." });
    if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "A custom range needs an end." });
    if (v.from && v.to && Date.parse(v.from) >= Date.parse(v.to)) ctx.addIssue({ code: "custom", path: ["to"], message: "The end must be after the start." });
    if (v.from && v.to && Date.parse(v.to) - Date.parse(v.from) > 400 * 86_400_000) ctx.addIssue({ code: "custom", path: ["from"], message: "A range can span at most 400 days." });
  });
export type ChartQuery = z.output<typeof chartQuerySchema>;

/** The concrete window a query covers. */
export function resolveRange(q: Pick<ChartQuery, "range" | "from" | "to">, now = new Date()): { from: Date; to: Date } {
  if (q.range === "custom" && q.from && q.to) return { from: new Date(q.from), to: new Date(q.to) };
  const ms = RANGE_MS[q.range === "custom" ? "24h" : q.range];
  return { from: new Date(now.getTime() - ms), to: now };
}
