import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function Loading() {
  return <PageSkeleton label="Loading API keys" width="max-w-5xl" rows={2} />;
}
