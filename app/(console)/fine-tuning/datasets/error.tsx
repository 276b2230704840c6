"use client";

import { RouteError } from "@/components/ui/route-error";

export default function DatasetsError({ reset }: { error: Error; reset: () => void }) {
  return <RouteError title="Datasets" what="The datasets" reset={reset} />;
}
