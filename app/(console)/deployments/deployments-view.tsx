"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DeploymentsTable } from "@/components/deployments/deployments-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { deploymentsQuery } from "@/lib/deployments/query-options";

export function DeploymentsView({ canEdit }: { canEdit: boolean }) {
  const q = useQuery(deploymentsQuery);
  if (q.isPending) {
    return (
      <Card className="space-y-3 p-5" aria-busy="true">
        <Skeleton className="h-6 w-full" />
        <Skeleton className="h-6 w-full" />
      </Card>
    );
  }
  if (q.isError && !q.data) {
    return (
      <div className="space-y-3">
        <Alert tone="error">The deployments could not be loaded: {q.error.message}</Alert>
        <Button variant="secondary" onClick={() => void q.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  if (q.data.length === 0) {
    return (
      <Card className="p-8 text-center">
        <h2 className="text-base font-semibold">No deployments yet</h2>
        <p className="mx-auto mt-1 max-w-xl text-sm text-zinc-600 dark:text-zinc-400">
          A deployment runs a local model on its own replicas, so apps can call it by name with replicas that scale with the load.
        </p>
        {canEdit ? (
          <Link href="/deployments/new" className="mt-4 inline-flex h-10 items-center rounded-md bg-accent-700 px-4 text-sm font-medium text-white hover:bg-accent-800">
            Create the first deployment
          </Link>
        ) : (
          <p className="mt-3 text-sm text-zinc-500">An admin can create one.</p>
        )}
      </Card>
    );
  }
  return (
    <Card>
      {q.isError ? <Alert tone="error" className="m-4">Refreshing failed: {q.error.message}. The figures below may be stale.</Alert> : null}
      <DeploymentsTable deployments={q.data} />
    </Card>
  );
}
