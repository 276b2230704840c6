import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { getDeployment, listDeploymentEvents, listDeploymentSamples } from "@/lib/deployments/deployments";
import { deploymentEventsQuery, deploymentQuery, deploymentSamplesQuery } from "@/lib/deployments/query-options";
import { AppError } from "@/lib/errors";
import { prefetched } from "@/lib/query-client";
import { DeploymentDetailView } from "./deployment-detail-view";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function DeploymentPage({ params }: { params: Promise<{ name: string }> }) {
  const me = await requirePageRole("member");
  const name = decodeURIComponent((await params).name);
  const ctx = await getAuthContext();
  const [d, events, samples] = await Promise.all([getDeployment(ctx, name), listDeploymentEvents(ctx, name), listDeploymentSamples(ctx, name)]).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const hydrate = [prefetched(deploymentQuery(name).queryKey, d), prefetched(deploymentEventsQuery(name).queryKey, events), prefetched(deploymentSamplesQuery(name).queryKey, samples)];
  return (
    <ConsolePage width="w-full min-w-0 max-w-7xl" hydrate={hydrate}>
      <DeploymentDetailView name={name} canEdit={hasRole(me.role, "admin")} />
    </ConsolePage>
  );
}
