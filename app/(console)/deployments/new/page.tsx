import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { getDeploymentFormOptions } from "@/lib/deployments/deployments";
import { CreateDeploymentView } from "./create-deployment-view";

export const metadata: Metadata = { title: "New deployment" };

export default async function NewDeploymentPage({ searchParams }: { searchParams: Promise<{ model?: string | string[]; adapter?: string | string[] }> }) {
  await requirePageRole("admin");
  const options = await getDeploymentFormOptions(await getAuthContext());
  const { model, adapter } = await searchParams;
  return (
    <div className="max-w-4xl">
      <PageHeader title="New deployment" description="A local model on its own replicas, called by name through the gateway. Defaults suit this machine; change what you need." />
      <CreateDeploymentView
        options={options}
        initialModelId={typeof model === "string" ? model : undefined}
        initialAdapterFile={typeof adapter === "string" ? adapter : undefined}
      />
    </div>
  );
}
