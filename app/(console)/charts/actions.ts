"use server";

import { setTtftBudget } from "@/lib/charts/budgets";
import { ttftBudgetSchema } from "@/lib/charts/schemas";
import { defineAction } from "@/lib/define-action";

export const setTtftBudgetAction = defineAction(
  ttftBudgetSchema,
  async (input, ctx) => {
    await setTtftBudget(ctx.db, input, ctx.user.id);
    return input;
  },
  { role: "admin", revalidate: ["/charts"] },
);
