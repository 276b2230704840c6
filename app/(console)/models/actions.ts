"use server";

import { audited, defineAction } from "@/lib/define-action";
import { changeModelPrice, retryLocalModel, updateModel } from "@/lib/models/models";
import { changePriceSchema, retryModelSchema, updateModelSchema } from "@/lib/models/schemas";

const options = { role: "admin", revalidate: ["/models"] } as const;

export const updateModelAction = defineAction(
  updateModelSchema,
  async (input, ctx) => {
    const model = await updateModel(ctx, ctx.user, input, ctx.ipAddress);
    return { id: model.id };
  },
  options,
);

export const changePriceAction = defineAction(changePriceSchema, audited(changeModelPrice), options);

export const retryLocalModelAction = defineAction(retryModelSchema, (input, ctx) => retryLocalModel(ctx, input.id), options);
