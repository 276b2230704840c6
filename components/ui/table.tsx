import type { ReactNode } from "react";
import { cn } from "./cn";

/** A column's header: a plain label (left-aligned), or the label with how to show it. */
export type Column =
  | string
  | {
      label: string;
      align?: "left" | "right";
      /** Read by screen readers only (an actions column). */
      hidden?: boolean;
      /** Kept in view at the right edge on a phone while the rest scrolls (an actions column); its cells take `stickyEndCell`. */
      sticky?: boolean;
    };

/**
 * The classes of a cell in a `sticky` column: on a phone it stays at the table's right edge, over
 * the columns scrolling beneath it (with the card's colour and a shade on its left); from `sm` up
 * the table fits and the cell is an ordinary one.
 */
export const stickyEndCell =
  "max-sm:sticky max-sm:right-0 max-sm:bg-white max-sm:px-3 max-sm:shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.35)] max-sm:dark:bg-zinc-900 max-sm:dark:shadow-[-8px_0_8px_-8px_rgb(255_255_255/0.25)]";

/** Right-aligned columns, for figures (counts, times, money) that should line up by their digits. */
export const figures = (...labels: string[]): Column[] => labels.map((label) => ({ label, align: "right" }));

/**
 * A data table with the console's header style; rows are the caller's <tr> elements. `caption` names
 * the table for screen readers (and role locators) when its visible title sits outside it, in a card.
 */
export function DataTable({ columns, children, nowrapHeader, caption }: { columns: Column[]; children: ReactNode; nowrapHeader?: boolean; caption?: string }) {
  const headers = columns.map((c) => (typeof c === "string" ? { label: c } : c));
  // `relative` keeps the screen-reader-only header (absolutely positioned) inside the scroll box:
  // without it, it escapes the clip and widens the whole page on a phone. `scroll-hint` shades the
  // edge that has more columns beyond it (globals.css), so a phone shows that the table scrolls.
  return (
    <div className="scroll-hint relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead
          className={cn(
            "border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400",
            nowrapHeader && "whitespace-nowrap",
          )}
        >
          <tr>
            {headers.map((c, i) => (
              <th key={`${c.label}-${i}`} scope="col" className={cn("px-5 py-2.5 font-medium", c.align === "right" && "text-right", c.sticky && stickyEndCell)}>
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}
