import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SetupForm } from "@/components/auth/setup-form";
import { Card } from "@/components/ui/card";
import { countUsers } from "@/lib/auth/accounts";
import { getAuthContext } from "@/lib/auth/auth";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { setupAction } from "../actions";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  await connection();
  if ((await countUsers(await getAuthContext())) > 0) redirect("/login");
  return (
    <Card className="p-6">
      <h1 className="mb-1 text-lg font-semibold">Welcome to Kindling</h1>
      <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">
        Create the first admin account. Admins add everyone else from Settings → Members.
      </p>
      <SetupForm action={setupAction} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </Card>
  );
}
