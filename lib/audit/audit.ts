// The audit log: written by sign-in and member management, read by admins on /settings/audit.
import "server-only";
import { and, count, desc, eq, gt, lt } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, type AuditRow } from "@/db/schema";
import type { AuditDto } from "./query-options";

export const AUDIT_ACTIONS = [
  "auth.setup",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_in_rate_limited",
  "auth.sign_out",
  "member.add",
  "member.role_change",
  "member.remove",
  "provider.add",
  "provider.update",
  "provider.remove",
  "model.import",
  "model.update",
  "model.price_change",
  "api_key.create",
  "api_key.revoke",
  "deployment.create",
  "deployment.update",
  "deployment.pause",
  "deployment.resume",
  "deployment.delete",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actor?: { id: string; email: string } | null;
  action: AuditAction;
  target?: string | null;
  ipAddress?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    action: entry.action,
    target: entry.target ?? null,
    ipAddress: entry.ipAddress ?? null,
    details: entry.details ?? null,
  });
}

function toAuditDto(r: AuditRow): AuditDto {
  return { id: r.id, at: r.at.toISOString(), actorEmail: r.actorEmail, action: r.action, target: r.target, ipAddress: r.ipAddress, details: r.details };
}

/** Newest first; `before` is the id of the last row of the previous page. */
export async function listAudit(db: Tx, options: { limit?: number; before?: number } = {}): Promise<AuditDto[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const rows = await db
    .select()
    .from(auditLog)
    .where(options.before ? lt(auditLog.id, options.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map(toAuditDto);
}

export async function countRecent(
  db: Tx,
  where: { action: AuditAction; target?: string; ipAddress?: string; since: Date },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, where.action),
        gt(auditLog.at, where.since),
        where.target !== undefined ? eq(auditLog.target, where.target) : undefined,
        where.ipAddress !== undefined ? eq(auditLog.ipAddress, where.ipAddress) : undefined,
      ),
    );
  return row?.n ?? 0;
}
