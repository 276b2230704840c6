// Series colours, readable on both themes; "Other" is always grey.
export const SERIES_COLORS = ["#ea580c", "#2563eb", "#16a34a", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#71717a"];

export function seriesColor(key: string, index: number): string {
  return key === "Other" ? "#a1a1aa" : SERIES_COLORS[index % SERIES_COLORS.length];
}
