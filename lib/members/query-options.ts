// React-query keys and fetchers for members and the audit log (shared by pages, views and routes).
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";

export interface MemberDto {
  id: string;
  name: string;
  email: string;
  role: "admin" | "member" | "viewer";
  createdAt: string;
}

export interface AuditDto {
  id: number;
  at: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ipAddress: string | null;
  details: Record<string, unknown> | null;
}

export const membersQuery = queryOptions({
  queryKey: ["members"] as const,
  queryFn: () => fetchJson<MemberDto[]>("/api/members"),
});

export const auditQuery = queryOptions({
  queryKey: ["audit"] as const,
  queryFn: () => fetchJson<AuditDto[]>("/api/audit"),
});

export function toMemberDto(m: { id: string; name: string; email: string; role: MemberDto["role"]; createdAt: Date }): MemberDto {
  return { id: m.id, name: m.name, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() };
}

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
