import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Loading evals" width="max-w-7xl" variant="charts" />;
}
