// What the charts over time buckets (bars and lines) share: their rows and axis labels, and the look
// of their grid and axes.

/** Prepared rows, one a bucket, and how each axis labels its values. */
export interface BucketChartProps {
  data: Array<Record<string, unknown> & { bucket: string }>;
  formatX: (bucket: string) => string;
  formatY: (v: number) => string;
}

export const BUCKET_GRID = { strokeDasharray: "3 3", stroke: "currentColor", strokeOpacity: 0.12, vertical: false } as const;

/** Ticks and axis line in the text colour, so both themes draw them. */
export const BUCKET_AXIS = { tick: { fontSize: 11, fill: "currentColor" }, stroke: "currentColor", strokeOpacity: 0.3 } as const;

/**
 * The legend's box: at most about three lines high, scrolling beyond that, so that a dozen models on a
 * phone leave the plot its height instead of taking it.
 */
export const BUCKET_LEGEND_STYLE = { fontSize: 12, maxHeight: 58, overflowY: "auto" } as const;
