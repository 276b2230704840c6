import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { MobileNav } from "./mobile-nav";
import { NavLinks, type NavItem } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";

const NAV: readonly NavItem[] = [
  { href: "/playground", label: "Playground", icon: "▶" },
  { href: "/deployments", label: "Deployments", icon: "◎" },
  { href: "/fine-tuning", label: "Fine-tuning", icon: "✎" },
  { href: "/evals", label: "Evals", icon: "✓" },
  { href: "/charts", label: "Charts", icon: "▤" },
  { href: "/models", label: "Models", icon: "◆" },
  { href: "/settings", label: "Settings", icon: "⚙" },
];

export interface ShellUser {
  name: string;
  email: string;
  role: string;
}

function Account({ user, signOut }: { user: ShellUser; signOut: () => Promise<void> }) {
  return (
    <div className="border-t border-zinc-200 px-4 py-4 text-sm dark:border-zinc-800">
      <div className="truncate font-medium" title={user.email}>
        {user.name}
      </div>
      <div className="mb-3 flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="truncate">{user.email}</span>
        <Badge tone={user.role === "admin" ? "accent" : "neutral"}>{user.role}</Badge>
      </div>
      <div className="flex items-center justify-between">
        <ThemeToggle />
        <form action={signOut}>
          <button type="submit" className="rounded-md px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}

export function AppShell({ user, signOut, children }: { user: ShellUser; signOut: () => Promise<void>; children: ReactNode }) {
  const account = <Account user={user} signOut={signOut} />;
  return (
    <div className="min-h-screen md:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <MobileNav items={NAV} account={account} />
      <aside className="sticky top-0 hidden h-screen w-56 shrink-0 flex-col border-r border-zinc-200 bg-white md:flex dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex items-center gap-2 px-5 py-5">
          <span aria-hidden className="inline-block h-3 w-3 rounded-full bg-accent-500" />
          <span className="text-lg font-semibold tracking-tight">Kindling</span>
        </div>
        <nav aria-label="Main" className="flex-1 px-3">
          <NavLinks items={NAV} />
        </nav>
        {account}
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8">
        {children}
      </main>
    </div>
  );
}
