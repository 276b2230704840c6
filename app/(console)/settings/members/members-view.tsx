"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AddMemberForm, type AddMemberInput } from "@/components/members/add-member-form";
import { MembersTable } from "@/components/members/members-table";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryState } from "@/components/ui/query-state";
import { SkeletonRows } from "@/components/ui/skeleton";
import { formPropsOf } from "@/components/ui/use-form-submit";
import { auditQuery } from "@/lib/audit/query-options";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import { membersQuery, type MemberDto } from "@/lib/members/query-options";
import { addMemberAction, changeRoleAction, removeMemberAction } from "./actions";

// Member changes are audited, so the audit log is stale after each of them too.
const invalidate = [membersQuery.queryKey, auditQuery.queryKey];

export function MembersView({ currentUserId, minPasswordLength }: { currentUserId: string; minPasswordLength: number }) {
  const members = useQuery(membersQuery);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const onError = (e: Error) => setNotice({ tone: "error", text: e.message });

  const add = useActionMutation((input: AddMemberInput) => addMemberAction(input), {
    invalidate,
    onSuccess: (m) => setNotice({ tone: "success", text: `Added ${m.email} as ${m.role}.` }),
  });
  const role = useActionMutation((v: { member: MemberDto; role: MemberDto["role"] }) => changeRoleAction({ userId: v.member.id, role: v.role }), {
    invalidate,
    onSuccess: (m) => setNotice({ tone: "success", text: `${m.email} is now ${m.role}.` }),
    onError,
  });
  const remove = useActionMutation((member: MemberDto) => removeMemberAction({ userId: member.id }), {
    invalidate,
    onSuccess: (_d, member) => setNotice({ tone: "success", text: `Removed ${member.email}. Their sessions have ended.` }),
    onError,
  });

  const busyId = role.isPending ? (role.variables?.member.id ?? null) : remove.isPending ? (remove.variables?.id ?? null) : null;

  return (
    <div className="space-y-6">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <Card>
        <CardHeader title="Team" description="Admins can change roles and remove access. Removing someone ends their sessions at once." />
        <QueryState query={members} what="members" loading={<SkeletonRows rows={2} />}>
          {(data) => (
            <MembersTable
              members={data}
              currentUserId={currentUserId}
              busyId={busyId}
              onRoleChange={(member, r) => role.mutate({ member, role: r })}
              onRemove={(member) => {
                if (window.confirm(`Remove ${member.email}? They will be signed out and cannot sign in again.`)) remove.mutate(member);
              }}
            />
          )}
        </QueryState>
      </Card>
      <Card>
        <CardHeader title="Add a member" description="They sign in with this email and the temporary password you choose." />
        <AddMemberForm {...formPropsOf(add)} minPasswordLength={minPasswordLength} />
      </Card>
    </div>
  );
}
