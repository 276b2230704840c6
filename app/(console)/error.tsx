"use client";

import { RouteError } from "@/components/ui/route-error";

/** Catches what an area's own error.tsx does not, inside the shell, so navigation stays usable. */
export default function ConsoleError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Something went wrong" what="This page" reset={reset} />;
}
