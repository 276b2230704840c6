"use client";

import { RouteError } from "@/components/ui/route-error";

export default function MembersError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Members" what="The members" reset={reset} />;
}
