"use client";

import { useRouter } from "next/navigation";
import { DeploymentForm } from "@/components/deployments/deployment-form";
import { Card } from "@/components/ui/card";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import { deploymentsQuery, type DeploymentFormOptions } from "@/lib/deployments/query-options";
import { createDeploymentAction } from "../actions";

export function CreateDeploymentView({
  options,
  initialModelId,
  initialAdapterFile,
}: {
  options: DeploymentFormOptions;
  initialModelId?: string;
  initialAdapterFile?: string;
}) {
  const router = useRouter();
  const create = useActionMutation(createDeploymentAction, {
    invalidate: [deploymentsQuery.queryKey],
    onSuccess: ({ name }) => router.push(`/deployments/${encodeURIComponent(name)}`),
  });
  return (
    <Card className="p-6">
      <DeploymentForm options={options} initialModelId={initialModelId} initialAdapterFile={initialAdapterFile} onSubmit={(input) => create.mutate(input)} pending={create.isPending} error={create.error} />
    </Card>
  );
}
