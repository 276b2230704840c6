// React-query keys and fetchers for members (shared by pages, views and routes).
import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/query-client";

export interface MemberDto {
  id: string;
  name: string;
  email: string;
  role: "admin" | "member" | "viewer";
  createdAt: string;
}

export const membersQuery = queryOptions({
  queryKey: ["members"] as const,
  queryFn: () => fetchJson<MemberDto[]>("/api/members"),
});

export function toMemberDto(m: { id: string; name: string; email: string; role: MemberDto["role"]; createdAt: Date }): MemberDto {
  return { id: m.id, name: m.name, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() };
}
