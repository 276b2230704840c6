"use client";

import { RouteError } from "@/components/ui/route-error";

export default function FineTuningError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Fine-tuning" what="Fine-tuning" reset={reset} />;
}
