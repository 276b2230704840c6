import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { getDeployment, listDeploymentEvents, listDeploymentSamples } from "@/lib/deployments/deployments";
import { deploymentEventsQuery, deploymentQuery, deploymentSamplesQuery } from "@/lib/deployments/query-options";
import { AppError } from "@/lib/errors";
import { makeQueryClient } from "@/lib/query-client";
import { DeploymentDetailView } from "./deployment-detail-view";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function DeploymentPage({ params }: { params: Promise<{ name: string }> }) {
  const me = await requirePageRole("member");
  const name = decodeURIComponent((await params).name);
  const ctx = await getAuthContext();
  const queryClient = makeQueryClient();
  try {
    const [d, events, samples] = await Promise.all([getDeployment(ctx, name), listDeploymentEvents(ctx, name), listDeploymentSamples(ctx, name)]);
    queryClient.setQueryData(deploymentQuery(name).queryKey, d);
    queryClient.setQueryData(deploymentEventsQuery(name).queryKey, events);
    queryClient.setQueryData(deploymentSamplesQuery(name).queryKey, samples);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <div className="w-full min-w-0 max-w-7xl">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DeploymentDetailView name={name} canEdit={hasRole(me.role, "admin")} />
      </HydrationBoundary>
    </div>
  );
}
