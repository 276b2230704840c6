"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DeploymentsTable } from "@/components/deployments/deployments-table";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { deploymentsQuery } from "@/lib/deployments/query-options";

export function DeploymentsView({ canEdit }: { canEdit: boolean }) {
  const q = useQuery(deploymentsQuery);
  return (
    <Card>
      <QueryState
        query={q}
        what="the deployments"
        loading={<SkeletonRows />}
        empty={
          <EmptyState
            title="No deployments yet"
            description="A deployment runs a local model on its own replicas, so apps call it by name and its replicas scale with the load."
            action={
              canEdit ? (
                <Link href="/deployments/new" className="inline-flex h-10 items-center rounded-md bg-accent-700 px-4 text-sm font-medium text-white hover:bg-accent-800">
                  Create the first deployment
                </Link>
              ) : (
                <p className="text-sm text-zinc-500">An admin can create one.</p>
              )
            }
          />
        }
      >
        {(data) => <DeploymentsTable deployments={data} />}
      </QueryState>
    </Card>
  );
}
