import { cn } from "./cn";

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded bg-zinc-200 dark:bg-zinc-800", className)} />;
}

/** Placeholder rows shaped like a table or list: full-width rows, the last one shorter. */
export function SkeletonRows({ rows = 3, rowClassName = "h-5", className }: { rows?: number; rowClassName?: string; className?: string }) {
  return (
    <div className={cn("space-y-3 p-5", className)} aria-busy="true">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className={cn(rowClassName, i === rows - 1 && rows > 1 ? "w-2/3" : "w-full")} />
      ))}
    </div>
  );
}
