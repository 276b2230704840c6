"use client";

import { RouteError } from "@/components/ui/route-error";

export default function EvalsError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Evals" what="The evals" reset={reset} />;
}
