import { defineRoute } from "@/lib/define-action";
import { listMembers } from "@/lib/members/members";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "admin" }, async (_request, ctx) => Response.json(await listMembers(ctx)));
