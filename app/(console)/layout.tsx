import { redirect } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { countUsers } from "@/lib/auth/accounts";
import { getAuthContext } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/session";
import { signOutAction } from "./actions";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await connection();
  const user = await getCurrentUser();
  if (!user) {
    redirect((await countUsers(await getAuthContext())) === 0 ? "/setup" : "/login");
  }
  return (
    <AppShell user={user} signOut={signOutAction}>
      {children}
    </AppShell>
  );
}
