"use client";

import { RouteError } from "@/components/ui/route-error";

export default function ModelsError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Models" what="The model catalogue" reset={reset} />;
}
