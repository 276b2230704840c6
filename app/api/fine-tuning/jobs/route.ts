import { defineRoute } from "@/lib/define-action";
import { listFineTuningJobs } from "@/lib/fine-tuning/jobs";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async (_request, ctx) => {
  return Response.json(await listFineTuningJobs(ctx.db));
});
