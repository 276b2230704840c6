"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { MemberDto } from "@/lib/members/query-options";

const ROLES = ["admin", "member", "viewer"] as const;

export function MembersTable({
  members,
  currentUserId,
  busyId,
  onRoleChange,
  onRemove,
}: {
  members: MemberDto[];
  currentUserId: string;
  busyId: string | null;
  onRoleChange: (member: MemberDto, role: MemberDto["role"]) => void;
  onRemove: (member: MemberDto) => void;
}) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <tr>
          <th scope="col" className="px-5 py-2.5 font-medium">Name</th>
          <th scope="col" className="px-5 py-2.5 font-medium">Email</th>
          <th scope="col" className="px-5 py-2.5 font-medium">Role</th>
          <th scope="col" className="px-5 py-2.5 font-medium">Added</th>
          <th scope="col" className="px-5 py-2.5"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {members.map((m) => {
          const isMe = m.id === currentUserId;
          return (
            <tr key={m.id}>
              <td className="px-5 py-3 font-medium">
                {m.name} {isMe ? <Badge tone="blue">you</Badge> : null}
              </td>
              <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">{m.email}</td>
              <td className="px-5 py-3">
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  disabled={busyId === m.id}
                  onChange={(e) => onRoleChange(m, e.target.value as MemberDto["role"])}
                  className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td className="px-5 py-3 text-zinc-500 dark:text-zinc-400">
                <time dateTime={m.createdAt}>{m.createdAt.slice(0, 10)}</time>
              </td>
              <td className="px-5 py-3 text-right">
                {isMe ? null : (
                  <Button variant="danger" size="sm" disabled={busyId === m.id} onClick={() => onRemove(m)} aria-label={`Remove ${m.email}`}>
                    Remove
                  </Button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
