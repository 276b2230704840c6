import type { Metadata } from "next";
import Link from "next/link";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Not allowed" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const [{ need }, me] = await Promise.all([searchParams, getCurrentUser()]);
  const needed = need === "member" ? "member" : "admin";
  // Opened directly (or after a promotion): the role the user has now is enough.
  const allowedNow = me !== null && hasRole(me.role, needed);
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-semibold">{allowedNow ? "You have access now" : "You don't have access to that page"}</h1>
      {allowedNow ? (
        <p className="mt-3 text-zinc-600 dark:text-zinc-400">
          This page is shown when a page needs the <strong>{needed}</strong> role. You are signed in as <strong>{me.role}</strong>, which is
          enough: go back and open the page again.
        </p>
      ) : (
        <p className="mt-3 text-zinc-600 dark:text-zinc-400">
          It needs the <strong>{needed}</strong> role, and you are signed in as <strong>{me?.role ?? "nobody"}</strong>. Ask an admin to change
          your role in Settings → Members.
        </p>
      )}
      <Link href="/playground" className="mt-6 inline-block text-sm font-medium text-accent-700 underline dark:text-accent-100">
        Back to the playground
      </Link>
    </div>
  );
}
