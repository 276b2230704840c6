import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card } from "@/components/ui/card";
import { countUsers } from "@/lib/auth/accounts";
import { getAuthContext } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/session";
import { signInAction } from "../actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  await connection();
  if ((await countUsers(await getAuthContext())) === 0) redirect("/setup");
  if (await getCurrentUser()) redirect("/playground");
  return (
    <Card className="p-6">
      <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
      <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">Use the email and password an admin gave you.</p>
      <SignInForm action={signInAction} />
    </Card>
  );
}
