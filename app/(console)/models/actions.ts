"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/define-action";
import { changeModelPrice, retryLocalModel, updateModel } from "@/lib/models/models";
import { changePriceSchema, retryModelSchema, updateModelSchema } from "@/lib/models/schemas";

export const updateModelAction = defineAction(
  updateModelSchema,
  async (input, ctx) => {
    const model = await updateModel(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/models");
    return { id: model.id };
  },
  { role: "admin" },
);

export const changePriceAction = defineAction(
  changePriceSchema,
  async (input, ctx) => {
    const price = await changeModelPrice(ctx, ctx.user, input, ctx.ipAddress);
    revalidatePath("/models");
    return price;
  },
  { role: "admin" },
);

export const retryLocalModelAction = defineAction(
  retryModelSchema,
  async (input, ctx) => {
    const engine = await retryLocalModel(ctx, input.id);
    revalidatePath("/models");
    return engine;
  },
  { role: "admin" },
);
