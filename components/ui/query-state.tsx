"use client";
// The three states every react-query read draws before its content: loading (shaped like the
// content), error (with a retry) and empty. The view only writes what the data looks like.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { SkeletonRows } from "./skeleton";

export interface QueryStateProps<T> {
  query: Pick<UseQueryResult<T, Error>, "data" | "error" | "isPending" | "isError" | "isFetching" | "refetch">;
  /** What is loaded, for the error sentence: "Could not load {what}: ...". */
  what: string;
  /** Placeholder shaped like the content; three skeleton rows when omitted. */
  loading?: ReactNode;
  /** Drawn instead of children when isEmpty(data) is true (by default: an empty array). */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

const isEmptyArray = (data: unknown) => Array.isArray(data) && data.length === 0;

export function QueryState<T>({ query, what, loading, empty, isEmpty = isEmptyArray, children }: QueryStateProps<T>) {
  if (query.isPending) return <>{loading ?? <SkeletonRows />}</>;
  const failure = query.isError ? (
    <div className="flex flex-wrap items-center justify-between gap-3 p-5">
      <Alert tone="error" className="min-w-0 flex-1">
        Could not load {what}: {query.error?.message}
      </Alert>
      <Button variant="secondary" onClick={() => void query.refetch()} disabled={query.isFetching}>
        Try again
      </Button>
    </div>
  ) : null;
  // A failed refetch keeps the last good data on screen under the error.
  if (query.data === undefined) return failure;
  const data = query.data;
  return (
    <>
      {failure}
      {empty !== undefined && isEmpty(data) ? empty : children(data)}
    </>
  );
}
