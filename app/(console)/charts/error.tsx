"use client";

import { RouteError } from "@/components/ui/route-error";

export default function ChartsError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Charts" what="The charts" reset={reset} />;
}
