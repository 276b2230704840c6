"use client";
// Below md the sidebar is hidden: a top bar with a Menu button opens the same navigation. It
// closes itself on navigation because it is open only for the path it was opened on.
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { NavLinks, type NavItem } from "./nav-links";

export function MobileNav({ items, account }: { items: readonly NavItem[]; account: ReactNode }) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <div className="sticky top-0 z-40 border-b border-zinc-200 bg-white md:hidden dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between px-4 py-3">
        <span className="flex items-center gap-2">
          <span aria-hidden className="inline-block h-3 w-3 rounded-full bg-accent-500" />
          <span className="text-lg font-semibold tracking-tight">Kindling</span>
        </span>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="mobile-menu"
          onClick={() => setOpenOn(open ? null : pathname)}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium dark:border-zinc-700"
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      {open ? (
        <div id="mobile-menu" className="max-h-[calc(100dvh-3.5rem)] overflow-y-auto border-t border-zinc-200 dark:border-zinc-800">
          <nav aria-label="Main" className="px-3 py-2">
            <NavLinks items={items} />
          </nav>
          {account}
        </div>
      ) : null}
    </div>
  );
}
