import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { getAuthContext } from "@/lib/auth/auth";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { requirePageRole } from "@/lib/auth/session";
import { listMembers } from "@/lib/members/members";
import { membersQuery } from "@/lib/members/query-options";
import { makeQueryClient } from "@/lib/query-client";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const me = await requirePageRole("admin");
  const queryClient = makeQueryClient();
  queryClient.setQueryData(membersQuery.queryKey, await listMembers(await getAuthContext()));
  return (
    <div className="max-w-5xl">
      <PageHeader title="Members" description="Who can sign in to this console, and what each of them may do." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <MembersView currentUserId={me.id} minPasswordLength={MIN_PASSWORD_LENGTH} />
      </HydrationBoundary>
    </div>
  );
}
