import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Settings" };

// Admin-only sections, and those every member may use (their own API keys).
const SECTIONS = [
  { href: "/settings/members", title: "Members", text: "Add people, change their roles, remove access.", admin: true },
  { href: "/settings/audit", title: "Audit log", text: "Sign-ins, failed sign-ins, member and role changes.", admin: true },
  { href: "/settings/providers", title: "Providers", text: "The local engine and OpenAI-compatible endpoints.", admin: true },
  { href: "/settings/api-keys", title: "API keys", text: "Keys for the OpenAI-compatible gateway at /v1.", admin: false },
] as const;

export default async function SettingsPage() {
  const me = await requirePageRole("viewer");
  const isAdmin = hasRole(me.role, "admin");
  // Members see the sections they may use (their own API keys); admins see everything.
  const sections = SECTIONS.filter((s) => (s.admin ? isAdmin : hasRole(me.role, "member")));
  return (
    <div className="max-w-4xl">
      <PageHeader title="Settings" description={isAdmin ? "Console-wide settings. Only admins can change them." : "Settings are managed by admins."} />
      {sections.length > 0 ? (
        <ul className="grid gap-4 sm:grid-cols-2">
          {sections.map((s) => (
            <li key={s.href}>
              <Link
                href={s.href}
                className="block rounded-lg border border-zinc-200 bg-white p-5 hover:border-accent-500 dark:border-zinc-800 dark:bg-zinc-900"
              >
                <div className="font-medium">{s.title}</div>
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{s.text}</p>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {isAdmin ? null : (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          You are signed in as <strong>{me.email}</strong> with the <strong>{me.role}</strong> role. Ask an admin if you need more access.
        </p>
      )}
    </div>
  );
}
