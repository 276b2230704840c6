// React-query keys, fetchers and DTOs for members (shared by the page, the view and the route).
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
