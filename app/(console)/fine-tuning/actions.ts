"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/define-action";
import { cancelFineTuningJob, createFineTuningJob } from "@/lib/fine-tuning/jobs";
import { createFineTuningJobSchema } from "@/lib/fine-tuning/schemas";

export const createFineTuningJobAction = defineAction(
  createFineTuningJobSchema,
  async (input, ctx) => {
    const job = await createFineTuningJob(ctx.db, input, ctx.user.id);
    revalidatePath("/fine-tuning");
    return { id: job.id };
  },
  { role: "member" },
);

export const cancelFineTuningJobAction = defineAction(
  z.object({ id: z.string().min(1) }),
  async (input, ctx) => {
    const job = await cancelFineTuningJob(ctx.db, input.id);
    revalidatePath("/fine-tuning");
    return { id: job.id, status: job.status };
  },
  { role: "member" },
);
