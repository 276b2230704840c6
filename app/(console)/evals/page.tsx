import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { connection } from "next/server";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { evalOverviewQuery } from "@/lib/evals/query-options";
import { getEvalOverview } from "@/lib/evals/views";
import { makeQueryClient } from "@/lib/query-client";
import { EvalsView } from "./evals-view";

export const metadata: Metadata = { title: "Evals" };

export default async function EvalsPage() {
  await connection();
  const me = await requirePageRole("viewer");
  const queryClient = makeQueryClient();
  queryClient.setQueryData(evalOverviewQuery.queryKey, await getEvalOverview((await getAuthContext()).db));
  return (
    <div className="max-w-7xl">
      <PageHeader title="Evals" description="Suites of cases with graders, run on several models at once: quality, time to first token and cost, measured and stored case by case." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <EvalsView canWrite={hasRole(me.role, "member")} />
      </HydrationBoundary>
    </div>
  );
}
