"use client";

import { useQuery } from "@tanstack/react-query";
import { AuditTable } from "@/components/audit/audit-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { auditQuery } from "@/lib/audit/query-options";

export function AuditView() {
  const audit = useQuery({ ...auditQuery, refetchInterval: 15_000 });
  return (
    <Card>
      <CardHeader
        title="Recent events"
        description="The newest 100 events. Sign-ins, failed sign-ins, and member and role changes."
        actions={
          <Button variant="secondary" size="sm" onClick={() => audit.refetch()} disabled={audit.isFetching}>
            Refresh
          </Button>
        }
      />
      {audit.isPending ? (
        <div className="space-y-3 p-5">
          <Skeleton className="h-4 w-full" />
          <Skeleton className="h-4 w-full" />
          <Skeleton className="h-4 w-full" />
        </div>
      ) : audit.isError ? (
        <div className="p-5">
          <Alert tone="error">Could not load the audit log: {audit.error.message}. Use Refresh to try again.</Alert>
        </div>
      ) : audit.data.length === 0 ? (
        <p className="p-5 text-sm text-zinc-500">Nothing has been recorded yet.</p>
      ) : (
        <AuditTable rows={audit.data} />
      )}
    </Card>
  );
}
