"use client";

import { useQuery } from "@tanstack/react-query";
import { AuditTable } from "@/components/audit/audit-table";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { auditQuery } from "@/lib/audit/query-options";

export function AuditView() {
  const audit = useQuery({ ...auditQuery, refetchInterval: 15_000 });
  return (
    <Card>
      <CardHeader
        title="Recent events"
        description="The newest 100 events: sign-ins and failed sign-ins, members and roles, providers, models and prices, API keys and deployments."
        actions={
          <Button variant="secondary" size="sm" onClick={() => audit.refetch()} disabled={audit.isFetching}>
            Refresh
          </Button>
        }
      />
      <QueryState
        query={audit}
        what="the audit log"
        loading={<SkeletonRows rows={3} rowClassName="h-4" />}
        empty={<EmptyState title="Nothing has been recorded yet" description="Sign-ins and changes to members, providers and models appear here." />}
      >
        {(rows) => <AuditTable rows={rows} />}
      </QueryState>
    </Card>
  );
}
