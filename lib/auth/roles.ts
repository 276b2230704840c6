// Roles and what each may do: admin (everything), member (use and run things, read all), viewer (read only).
import type { Role } from "@/db/schema";

export type { Role } from "@/db/schema";
export { ROLES } from "@/db/schema";

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

/** True when `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
