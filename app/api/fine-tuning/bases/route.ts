import { defineRoute } from "@/lib/define-action";
import { listBaseModelDtos } from "@/lib/fine-tuning/bases";

export const dynamic = "force-dynamic";

export const GET = defineRoute({ role: "viewer" }, async () => Response.json(await listBaseModelDtos()));
