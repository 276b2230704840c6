// Who did what, when: sign-ins, failed sign-ins, member and role changes.
import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { serialId, timestamptz, weakRef } from "./columns";
import { user } from "./auth";

export const auditLog = pgTable(
  "audit_log",
  {
    id: serialId(),
    at: timestamptz("at").notNull().defaultNow(),
    /** The signed-in user who acted; null for anonymous events such as a failed sign-in. */
    actorId: weakRef("actor_id", () => user.id),
    /** Kept as text so the row still says who it was after the user is removed. */
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    /** What the action was about, e.g. the email of the member whose role changed. */
    target: text("target"),
    ipAddress: text("ip_address"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_action_target_at_idx").on(t.action, t.target, t.at),
    index("audit_log_action_ip_at_idx").on(t.action, t.ipAddress, t.at),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
