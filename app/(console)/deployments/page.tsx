import type { Metadata } from "next";
import Link from "next/link";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { listDeployments } from "@/lib/deployments/deployments";
import { deploymentsQuery } from "@/lib/deployments/query-options";
import { prefetched } from "@/lib/query-client";
import { DeploymentsView } from "./deployments-view";

export const metadata: Metadata = { title: "Deployments" };

export default async function DeploymentsPage() {
  const me = await requirePageRole("member");
  const deployments = await listDeployments(await getAuthContext());
  const canEdit = hasRole(me.role, "admin");
  return (
    <ConsolePage
      width="w-full min-w-0 max-w-7xl"
      title="Deployments"
      description="Models on dedicated replicas on this machine, with autoscaling. Figures cover the last 15 minutes, measured by the replicas themselves."
      actions={
        canEdit ? (
          <Link href="/deployments/new" className="inline-flex h-10 items-center rounded-md bg-accent-700 px-4 text-sm font-medium text-white hover:bg-accent-800">
            New deployment
          </Link>
        ) : null
      }
      hydrate={[prefetched(deploymentsQuery.queryKey, deployments)]}
    >
      <DeploymentsView canEdit={canEdit} />
    </ConsolePage>
  );
}
