"use client";

import { RouteError } from "@/components/ui/route-error";

export default function NewFineTuningError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="New fine-tuning job" what="The wizard" reset={reset} />;
}
