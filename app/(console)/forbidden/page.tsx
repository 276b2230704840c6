import type { Metadata } from "next";
import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Not allowed" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const [{ need }, me] = await Promise.all([searchParams, getCurrentUser()]);
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-semibold">You don&apos;t have access to that page</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">
        It needs the <strong>{need === "member" ? "member" : "admin"}</strong> role, and you are signed in as{" "}
        <strong>{me?.role ?? "nobody"}</strong>. Ask an admin to change your role in Settings → Members.
      </p>
      <Link href="/playground" className="mt-6 inline-block text-sm font-medium text-accent-700 underline dark:text-accent-100">
        Back to the playground
      </Link>
    </div>
  );
}
