"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { AddMemberForm, type AddMemberInput } from "@/components/members/add-member-form";
import { MembersTable } from "@/components/members/members-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { ActionResult, FieldErrors } from "@/lib/errors";
import { auditQuery } from "@/lib/audit/query-options";
import { membersQuery, type MemberDto } from "@/lib/members/query-options";
import { addMemberAction, changeRoleAction, removeMemberAction } from "./actions";

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw Object.assign(new Error(r.message), { code: r.code, fieldErrors: r.fieldErrors });
  return r.data;
}

export function MembersView({ currentUserId, minPasswordLength }: { currentUserId: string; minPasswordLength: number }) {
  const queryClient = useQueryClient();
  const members = useQuery(membersQuery);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: membersQuery.queryKey });
    void queryClient.invalidateQueries({ queryKey: auditQuery.queryKey });
  };

  const add = useMutation({
    mutationFn: (input: AddMemberInput) => unwrap(addMemberAction(input)),
    onSuccess: (m) => {
      setNotice({ tone: "success", text: `Added ${m.email} as ${m.role}.` });
      invalidate();
    },
  });
  const role = useMutation({
    mutationFn: (v: { member: MemberDto; role: MemberDto["role"] }) => unwrap(changeRoleAction({ userId: v.member.id, role: v.role })),
    onSuccess: (m) => {
      setNotice({ tone: "success", text: `${m.email} is now ${m.role}.` });
      invalidate();
    },
    onError: (e) => setNotice({ tone: "error", text: e.message }),
  });
  const remove = useMutation({
    mutationFn: (member: MemberDto) => unwrap(removeMemberAction({ userId: member.id })),
    onSuccess: (_d, member) => {
      setNotice({ tone: "success", text: `Removed ${member.email}. Their sessions have ended.` });
      invalidate();
    },
    onError: (e) => setNotice({ tone: "error", text: e.message }),
  });

  const addError = add.error as (Error & { fieldErrors?: FieldErrors }) | null;
  const busyId = role.isPending ? (role.variables?.member.id ?? null) : remove.isPending ? (remove.variables?.id ?? null) : null;

  return (
    <div className="space-y-6">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <Card>
        <CardHeader title="Team" description="Admins can change roles and remove access. Removing someone ends their sessions at once." />
        {members.isPending ? (
          <div className="space-y-3 p-5">
            <Skeleton className="h-5 w-full" />
            <Skeleton className="h-5 w-full" />
          </div>
        ) : members.isError ? (
          <div className="flex items-center justify-between gap-4 p-5">
            <Alert tone="error">Could not load members: {members.error.message}</Alert>
            <Button variant="secondary" onClick={() => members.refetch()}>
              Try again
            </Button>
          </div>
        ) : (
          <MembersTable
            members={members.data}
            currentUserId={currentUserId}
            busyId={busyId}
            onRoleChange={(member, r) => role.mutate({ member, role: r })}
            onRemove={(member) => {
              if (window.confirm(`Remove ${member.email}? They will be signed out and cannot sign in again.`)) remove.mutate(member);
            }}
          />
        )}
      </Card>
      <Card>
        <CardHeader title="Add a member" description="They sign in with this email and the temporary password you choose." />
        <AddMemberForm
          onSubmit={(input, reset) => add.mutate(input, { onSuccess: reset })}
          pending={add.isPending}
          error={addError && !addError.fieldErrors ? addError.message : null}
          fieldErrors={addError?.fieldErrors ?? {}}
          minPasswordLength={minPasswordLength}
        />
      </Card>
    </div>
  );
}
