"use client";

import { RouteError } from "@/components/ui/route-error";

export default function AuditError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Audit log" what="The audit log" reset={reset} />;
}
