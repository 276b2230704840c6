// React-query keys, fetchers and DTOs for the audit log (shared by the page, the view and the route).
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";

export interface AuditDto {
  id: number;
  at: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ipAddress: string | null;
  details: Record<string, unknown> | null;
}

export const auditQuery = queryOptions({
  queryKey: ["audit"] as const,
  queryFn: () => fetchJson<AuditDto[]>("/api/audit"),
});
