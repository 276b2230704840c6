import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { listAudit } from "@/lib/audit/audit";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { auditQuery } from "@/lib/audit/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { AuditView } from "./audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requirePageRole("admin");
  const { db } = await getAuthContext();
  const queryClient = makeQueryClient();
  queryClient.setQueryData(auditQuery.queryKey, await listAudit(db, { limit: 100 }));
  return (
    <div className="max-w-6xl">
      <PageHeader title="Audit log" description="Who did what, and when." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <AuditView />
      </HydrationBoundary>
    </div>
  );
}
