// A console page as page.tsx draws it: the header, then the view with react-query hydrated from what the
// page read on the server, under the keys the view's queries use.
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { makeQueryClient, type Prefetched } from "@/lib/query-client";

export function ConsolePage({
  width,
  title,
  description,
  actions,
  hydrate,
  children,
}: {
  /** The page's width classes, e.g. "max-w-7xl". */
  width: string;
  /** Without a title the view draws its own header. */
  title?: string;
  description?: ReactNode;
  actions?: ReactNode;
  hydrate: Prefetched[];
  children: ReactNode;
}) {
  const queryClient = makeQueryClient();
  for (const { queryKey, data } of hydrate) queryClient.setQueryData(queryKey, data);
  return (
    <div className={width}>
      {title ? <PageHeader title={title} description={description} actions={actions} /> : null}
      <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>
    </div>
  );
}
