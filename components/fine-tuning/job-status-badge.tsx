import { Badge } from "@/components/ui/badge";

const LABEL: Record<string, string> = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed", cancelled: "Cancelled" };

export function JobStatusBadge({ status, cancelRequested }: { status: string; cancelRequested?: boolean }) {
  const label = status === "running" && cancelRequested ? "Cancelling" : (LABEL[status] ?? status);
  return <Badge tone={status === "succeeded" ? "accent" : status === "running" || status === "queued" ? "blue" : "neutral"}>{label}</Badge>;
}
