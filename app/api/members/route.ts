import { listMembers } from "@/lib/auth/accounts";
import { defineRoute } from "@/lib/define-action";
import { toMemberDto } from "@/lib/members/query-options";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "admin" }, async (_request, ctx) => {
  return Response.json((await listMembers(ctx)).map(toMemberDto));
});
