import type { Metadata } from "next";
import { connection } from "next/server";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { getUsageChartData } from "@/lib/charts/usage-data";
import { DEFAULT_CHART_PARAMS, usageChartQuery } from "@/lib/charts/query-options";
import { chartQuerySchema } from "@/lib/charts/schemas";
import { prefetched } from "@/lib/query-client";
import { ChartsView } from "./charts-view";

export const metadata: Metadata = { title: "Charts" };

export default async function ChartsPage() {
  await connection();
  const me = await requirePageRole("viewer");
  const usage = await getUsageChartData((await getAuthContext()).db, chartQuerySchema.parse({ range: DEFAULT_CHART_PARAMS.range }));
  return (
    <ConsolePage
      width="max-w-7xl"
      title="Charts"
      description="Spend, requests, errors, time to first token and tokens per second over time, from stored usage. Every point lists the requests behind it."
      hydrate={[prefetched(usageChartQuery(DEFAULT_CHART_PARAMS).queryKey, usage)]}
    >
      <ChartsView canEditBudgets={hasRole(me.role, "admin")} />
    </ConsolePage>
  );
}
