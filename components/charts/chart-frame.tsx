"use client";

// A chart's card: title, chart/table switch, CSV download, and the loading, error and empty states.
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";

export type FrameState = "loading" | "error" | "empty" | "ready";

/** What the charts of one query share: its state, what its empty state says, and how to retry it. */
export interface FrameStatus {
  state: FrameState;
  emptyText: string;
  onRetry?: () => void;
}

export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export function ChartFrame({
  title,
  description,
  state,
  emptyText,
  onRetry,
  csv,
  table,
  children,
  height = 260,
}: FrameStatus & {
  title: string;
  description?: ReactNode;
  csv?: { filename: string; build: () => string };
  table: ReactNode;
  children: ReactNode;
  height?: number;
}) {
  const [view, setView] = useState<"chart" | "table">("chart");
  return (
    <Card>
      <CardHeader
        title={title}
        description={description}
        actions={
          state === "ready" ? (
            <div className="flex shrink-0 gap-1" role="group" aria-label={`${title}: view`}>
              <Button size="sm" variant={view === "chart" ? "secondary" : "ghost"} aria-pressed={view === "chart"} onClick={() => setView("chart")}>
                Chart
              </Button>
              <Button size="sm" variant={view === "table" ? "secondary" : "ghost"} aria-pressed={view === "table"} onClick={() => setView("table")}>
                Table
              </Button>
              {csv ? (
                <Button size="sm" variant="ghost" onClick={() => downloadCsv(csv.filename, csv.build())}>
                  CSV
                </Button>
              ) : null}
            </div>
          ) : null
        }
      />
      <div className="p-4">
        {state === "loading" ? (
          <div aria-busy="true" aria-label={`Loading ${title}`} className="flex items-end gap-1.5" style={{ height }}>
            {Array.from({ length: 24 }, (_, i) => (
              <div key={i} aria-hidden className="flex-1 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" style={{ height: `${30 + ((i * 37) % 60)}%` }} />
            ))}
          </div>
        ) : state === "error" ? (
          <div className="flex flex-col items-start gap-3" style={{ minHeight: height / 2 }}>
            <Alert tone="error">{title} could not be loaded. The server log has the details.</Alert>
            {onRetry ? (
              <Button size="sm" variant="secondary" onClick={onRetry}>
                Try again
              </Button>
            ) : null}
          </div>
        ) : state === "empty" ? (
          <div className="flex items-center justify-center rounded-md border border-dashed border-zinc-300 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400" style={{ height }}>
            <p className="max-w-sm px-4">{emptyText}</p>
          </div>
        ) : view === "chart" ? (
          <div style={{ height }}>{children}</div>
        ) : (
          <div className="max-h-96 overflow-auto">{table}</div>
        )}
      </div>
    </Card>
  );
}
