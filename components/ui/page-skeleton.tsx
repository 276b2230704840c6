import { Card } from "./card";
import { SkeletonRows, Skeleton } from "./skeleton";

/** A route's loading.tsx: the page header and one card of rows, while the server prefetches. */
export function PageSkeleton({ label, width = "max-w-6xl", rows = 3 }: { label: string; width?: string; rows?: number }) {
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
