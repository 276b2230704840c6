"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { MemberDto } from "@/lib/members/query-options";
import { cn } from "@/components/ui/cn";
import { DataTable, stickyEndCell, type Column } from "@/components/ui/table";
import { When } from "@/components/ui/when";

const ROLES = ["admin", "member", "viewer"] as const;
// Name and role first, Remove kept in view: on a phone they are what is seen without scrolling.
const COLUMNS: Column[] = ["Name", "Role", "Email", "Added", { label: "Actions", hidden: true, sticky: true }];

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
    <DataTable columns={COLUMNS}>
      {members.map((m) => {
        const isMe = m.id === currentUserId;
        return (
          <tr key={m.id}>
            <td className="px-5 py-3 font-medium">
              {m.name} {isMe ? <Badge tone="blue">you</Badge> : null}
            </td>
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
            <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">{m.email}</td>
            <td className="px-5 py-3 text-zinc-500 dark:text-zinc-400">
              <When iso={m.createdAt} precision="day" />
            </td>
            <td className={cn("px-5 py-3 text-right", stickyEndCell)}>
              {isMe ? null : (
                <Button variant="danger" size="sm" disabled={busyId === m.id} onClick={() => onRemove(m)} aria-label={`Remove ${m.email}`}>
                  Remove
                </Button>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
