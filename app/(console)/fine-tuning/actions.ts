"use server";

import { z } from "zod";
import { defineAction } from "@/lib/define-action";
import { cancelFineTuningJob, createFineTuningJob } from "@/lib/fine-tuning/jobs";
import { createFineTuningJobSchema } from "@/lib/fine-tuning/schemas";

const options = { role: "member", revalidate: ["/fine-tuning"] } as const;

export const createFineTuningJobAction = defineAction(
  createFineTuningJobSchema,
  async (input, ctx) => {
    const job = await createFineTuningJob(ctx.db, input, ctx.user.id);
    return { id: job.id };
  },
  options,
);

export const cancelFineTuningJobAction = defineAction(
  z.object({ id: z.string().min(1) }),
  async (input, ctx) => {
    const job = await cancelFineTuningJob(ctx.db, input.id);
    return { id: job.id, status: job.status };
  },
  options,
);
