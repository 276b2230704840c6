"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signOut } from "@/lib/auth/accounts";
import { defineAction } from "@/lib/define-action";

const signOutUser = defineAction(
  z.object({}),
  async (_input, ctx) => {
    await signOut(ctx, ctx.user, ctx);
  },
  { role: "viewer" },
);

export async function signOutAction(): Promise<void> {
  await signOutUser({});
  redirect("/login");
}
