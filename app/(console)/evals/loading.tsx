import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="max-w-7xl space-y-5" aria-busy="true" aria-label="Loading evals">
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
