import { Card } from "./card";
import { SkeletonRows, Skeleton } from "./skeleton";

/**
 * A route's loading.tsx while the server prefetches: the page header and one card of rows, or for
 * variant "charts" the title, a filter card and two chart cards side by side.
 */
export function PageSkeleton({
  label,
  width = "max-w-6xl",
  rows = 3,
  variant = "rows",
}: {
  label: string;
  width?: string;
  rows?: number;
  variant?: "rows" | "charts";
}) {
  if (variant === "charts") {
    return (
      <div className={`${width} space-y-5`} aria-busy="true" aria-label={label}>
        <Skeleton className="h-8 w-32" />
        <Card className="h-28 p-4">
          <Skeleton className="h-8 w-80" />
        </Card>
        <div className="grid gap-5 xl:grid-cols-2">
          {[0, 1].map((i) => (
            <Card key={i} className="p-4">
              <Skeleton className="mb-4 h-5 w-40" />
              <Skeleton className="h-64 w-full" />
            </Card>
          ))}
        </div>
      </div>
    );
  }
  return (
    <div className={width} aria-busy="true" aria-label={label}>
      <Skeleton className="mb-2 h-8 w-40" />
      <Skeleton className="mb-6 h-4 w-full max-w-96" />
      <Card>
        <SkeletonRows rows={rows} />
      </Card>
    </div>
  );
}
