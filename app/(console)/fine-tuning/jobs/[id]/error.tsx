"use client";

import { RouteError } from "@/components/ui/route-error";

export default function FineTuningJobError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Fine-tuning job" what="This job" reset={reset} />;
}
