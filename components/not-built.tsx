import { PageHeader } from "@/components/ui/page-header";

/** What an area shows until it is built: a plain statement, never placeholder numbers. */
export function NotBuilt({ title, purpose, arrives }: { title: string; purpose: string; arrives: string }) {
  return (
    <div>
      <PageHeader title={title} />
      <div className="max-w-2xl rounded-lg border border-dashed border-zinc-300 bg-white p-8 dark:border-zinc-700 dark:bg-zinc-900">
        <p className="text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">Not built yet</p>
        <p className="mt-3 text-zinc-800 dark:text-zinc-200">{purpose}</p>
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">{arrives}</p>
      </div>
    </div>
  );
}
