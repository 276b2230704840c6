"use client";

import { RouteError } from "@/components/ui/route-error";

export default function ApiKeysError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="API keys" what="The API keys" reset={reset} />;
}
