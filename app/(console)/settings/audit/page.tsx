import type { Metadata } from "next";
import { ConsolePage } from "@/components/shell/console-page";
import { listAudit } from "@/lib/audit/audit";
import { getAuthContext } from "@/lib/auth/auth";
import { requirePageRole } from "@/lib/auth/session";
import { auditQuery } from "@/lib/audit/query-options";
import { prefetched } from "@/lib/query-client";
import { AuditView } from "./audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requirePageRole("admin");
  const { db } = await getAuthContext();
  const entries = await listAudit(db, { limit: 100 });
  return (
    <ConsolePage width="max-w-7xl" title="Audit log" description="Who did what, and when." hydrate={[prefetched(auditQuery.queryKey, entries)]}>
      <AuditView />
    </ConsolePage>
  );
}
