"use client";

import { RouteError } from "@/components/ui/route-error";

export default function ProvidersError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Providers" what="The providers" reset={reset} />;
}
