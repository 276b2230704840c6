import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { evalRunQuery } from "@/lib/evals/query-options";
import { getRunDetail } from "@/lib/evals/views";
import { prefetched } from "@/lib/query-client";
import { RunView } from "./run-view";

export const metadata: Metadata = { title: "Eval run" };

export default async function EvalRunPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const me = await requirePageRole("viewer");
  const { id } = await params;
  const detail = await getRunDetail((await getAuthContext()).db, id);
  if (!detail) notFound();
  return (
    <ConsolePage
      width="max-w-7xl"
      title={`Eval run: ${detail.run.suiteName}`}
      description="Quality, speed and cost per model, and every case's answers side by side."
      hydrate={[prefetched(evalRunQuery(id).queryKey, detail)]}
    >
      <RunView runId={id} canWrite={hasRole(me.role, "member")} />
    </ConsolePage>
  );
}
