import { defineRoute } from "@/lib/define-action";
import { listBaseModels } from "@/lib/fine-tuning/bases";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async () => {
  return Response.json((await listBaseModels()).map(({ path: _path, ...rest }) => rest));
});
