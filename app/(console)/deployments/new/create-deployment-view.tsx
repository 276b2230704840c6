"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { DeploymentForm } from "@/components/deployments/deployment-form";
import { Card } from "@/components/ui/card";
import type { ActionResult, ErrorCode, FieldErrors } from "@/lib/errors";
import type { DeploymentFormOptions } from "@/lib/deployments/query-options";
import type { CreateDeploymentInput } from "@/lib/deployments/schemas";
import { createDeploymentAction } from "../actions";

type ActionError = Error & { code: ErrorCode; fieldErrors?: FieldErrors };

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw Object.assign(new Error(r.message), { code: r.code, fieldErrors: r.fieldErrors });
  return r.data;
}

export function CreateDeploymentView({ options }: { options: DeploymentFormOptions }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (input: CreateDeploymentInput) => unwrap(createDeploymentAction(input)),
    onSuccess: ({ name }) => {
      void queryClient.invalidateQueries({ queryKey: ["deployments"] });
      router.push(`/deployments/${encodeURIComponent(name)}`);
    },
  });
  return (
    <Card className="p-6">
      <DeploymentForm options={options} onSubmit={(input) => create.mutate(input)} pending={create.isPending} error={create.error as ActionError | null} />
    </Card>
  );
}
