import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { listDeployments } from "@/lib/deployments/deployments";
import { deploymentsQuery } from "@/lib/deployments/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { DeploymentsView } from "./deployments-view";

export const metadata: Metadata = { title: "Deployments" };

export default async function DeploymentsPage() {
  const me = await requirePageRole("member");
  const queryClient = makeQueryClient();
  queryClient.setQueryData(deploymentsQuery.queryKey, await listDeployments(await getAuthContext()));
  const canEdit = hasRole(me.role, "admin");
  return (
    <div className="w-full min-w-0 max-w-7xl">
      <PageHeader
        title="Deployments"
        description="Models on dedicated replicas on this machine, with autoscaling. Figures cover the last 15 minutes, measured by the replicas themselves."
        actions={
          canEdit ? (
            <Link href="/deployments/new" className="inline-flex h-10 items-center rounded-md bg-accent-700 px-4 text-sm font-medium text-white hover:bg-accent-800">
              New deployment
            </Link>
          ) : null
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DeploymentsView canEdit={canEdit} />
      </HydrationBoundary>
    </div>
  );
}
