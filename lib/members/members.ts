// Members: who may sign in and with which role. Reads return DTOs; every change is audited in the
// same transaction, and the last admin can be neither demoted nor removed.
import "server-only";
import { eq } from "drizzle-orm";
import { user, type Role, type User } from "@/db/schema";
import { recordAudit } from "@/lib/audit/audit";
import { signUp, type Actor } from "@/lib/auth/accounts";
import type { AuthContext } from "@/lib/auth/auth";
import { clearSessionCache } from "@/lib/auth/current-user";
import { revokeKeysOfUser } from "@/lib/api-keys/api-keys";
import { clearApiKeyCache } from "@/lib/api-keys/cache";
import { endCallsOf } from "@/lib/inference/active-calls";
import { AppError } from "@/lib/errors";
import type { MemberDto } from "./query-options";
import type { AddMemberInput, ChangeRoleInput, RemoveMemberInput } from "./schemas";

function toMemberDto(m: Pick<User, "id" | "name" | "email" | "role" | "createdAt">): MemberDto {
  return { id: m.id, name: m.name, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() };
}

export async function listMembers({ db }: Pick<AuthContext, "db">): Promise<MemberDto[]> {
  const rows = await db
    .select({ id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt })
    .from(user)
    .orderBy(user.createdAt);
  return rows.map(toMemberDto);
}

export async function addMember(ctx: AuthContext, actor: Actor, input: AddMemberInput, ipAddress: string | null): Promise<MemberDto> {
  const created = await signUp(ctx, input);
  const member = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(user).set({ role: input.role, updatedAt: new Date() }).where(eq(user.id, created.id)).returning();
    await recordAudit(tx, { actor, action: "member.add", target: row.email, ipAddress, details: { role: input.role } });
    return row;
  });
  return toMemberDto(member);
}

async function lockAdmins(tx: Parameters<Parameters<AuthContext["db"]["transaction"]>[0]>[0]) {
  // Row locks on every admin make two concurrent demotions of the last two admins queue up.
  return tx.select({ id: user.id }).from(user).where(eq(user.role, "admin")).for("update");
}

export async function changeRole(ctx: AuthContext, actor: Actor, input: ChangeRoleInput, ipAddress: string | null): Promise<MemberDto> {
  const changed = await ctx.db.transaction(async (tx) => {
    const admins = await lockAdmins(tx);
    const [target] = await tx.select().from(user).where(eq(user.id, input.userId)).for("update");
    if (!target) throw new AppError("NOT_FOUND", "That member no longer exists.");
    if (target.role === input.role) return target;
    if (target.role === "admin" && admins.length <= 1) {
      throw new AppError("CONFLICT", "Kindling needs at least one admin: make someone else an admin first.");
    }
    const [row] = await tx.update(user).set({ role: input.role as Role, updatedAt: new Date() }).where(eq(user.id, target.id)).returning();
    await recordAudit(tx, {
      actor,
      action: "member.role_change",
      target: row.email,
      ipAddress,
      details: { from: target.role, to: input.role },
    });
    // A viewer may not call models: their API keys die with the demotion, for good.
    if (input.role === "viewer") {
      const revoked = await revokeKeysOfUser(tx, target.id, actor.id);
      if (revoked) await recordAudit(tx, { actor, action: "api_key.revoke", target: row.email, ipAddress, details: { reason: "demoted to viewer", keys: revoked } });
    }
    return row;
  });
  // After the commit, so no request can cache the old role again in between.
  clearSessionCache();
  clearApiKeyCache();
  if (changed.role === "viewer") endCallsOf(changed.id, { why: "Your role changed to viewer while this answer was streaming." });
  return toMemberDto(changed);
}

export async function removeMember(ctx: AuthContext, actor: Actor, input: RemoveMemberInput, ipAddress: string | null): Promise<void> {
  if (input.userId === actor.id) throw new AppError("CONFLICT", "You cannot remove your own access. Ask another admin.");
  await ctx.db.transaction(async (tx) => {
    const admins = await lockAdmins(tx);
    const [target] = await tx.select().from(user).where(eq(user.id, input.userId)).for("update");
    if (!target) throw new AppError("NOT_FOUND", "That member no longer exists.");
    if (target.role === "admin" && admins.length <= 1) {
      throw new AppError("CONFLICT", "Kindling needs at least one admin: make someone else an admin before removing this one.");
    }
    // Sessions and credentials go with the user (ON DELETE CASCADE): access ends at once.
    await tx.delete(user).where(eq(user.id, target.id));
    await recordAudit(tx, { actor, action: "member.remove", target: target.email, ipAddress, details: { role: target.role } });
  });
  clearSessionCache();
  clearApiKeyCache();
  endCallsOf(input.userId, { removed: true });
}
