"use client";

import { RouteError } from "@/components/ui/route-error";

export default function DeploymentsError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Deployments" what="The deployments" reset={reset} />;
}
