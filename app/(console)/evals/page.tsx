import type { Metadata } from "next";
import { connection } from "next/server";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { evalOverviewQuery } from "@/lib/evals/query-options";
import { getEvalOverview } from "@/lib/evals/views";
import { prefetched } from "@/lib/query-client";
import { EvalsView } from "./evals-view";

export const metadata: Metadata = { title: "Evals" };

export default async function EvalsPage() {
  await connection();
  const me = await requirePageRole("viewer");
  const overview = await getEvalOverview((await getAuthContext()).db);
  return (
    <ConsolePage
      width="max-w-7xl"
      title="Evals"
      description="Suites of cases with graders, run on several models at once: quality, time to first token and cost, measured and stored case by case."
      hydrate={[prefetched(evalOverviewQuery.queryKey, overview)]}
    >
      <EvalsView canWrite={hasRole(me.role, "member")} />
    </ConsolePage>
  );
}
