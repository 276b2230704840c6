import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Loading charts" width="max-w-7xl" variant="charts" />;
}
