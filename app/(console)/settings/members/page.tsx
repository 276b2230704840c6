import type { Metadata } from "next";
import { ConsolePage } from "@/components/shell/console-page";
import { getAuthContext } from "@/lib/auth/auth";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { requirePageRole } from "@/lib/auth/session";
import { listMembers } from "@/lib/members/members";
import { membersQuery } from "@/lib/members/query-options";
import { prefetched } from "@/lib/query-client";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const me = await requirePageRole("admin");
  const members = await listMembers(await getAuthContext());
  return (
    <ConsolePage
      width="max-w-6xl"
      title="Members"
      description="Who can sign in to this console, and what each of them may do."
      hydrate={[prefetched(membersQuery.queryKey, members)]}
    >
      <MembersView currentUserId={me.id} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </ConsolePage>
  );
}
