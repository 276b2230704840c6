// React-query keys and fetchers for the audit log (shared by pages, views and routes).
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

export function toAuditDto(r: {
  id: number;
  at: Date;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ipAddress: string | null;
  details: Record<string, unknown> | null;
}): AuditDto {
  return { id: r.id, at: r.at.toISOString(), actorEmail: r.actorEmail, action: r.action, target: r.target, ipAddress: r.ipAddress, details: r.details };
}
