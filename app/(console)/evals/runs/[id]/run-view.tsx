"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { ChartFrame } from "@/components/charts/chart-frame";
import { QualityCostScatter, type ScatterPointView } from "@/components/charts/quality-cost-scatter";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, figures } from "@/components/ui/table";
import { toCsv } from "@/lib/charts/csv";
import { formatMs, formatUsd } from "@/lib/charts/format";
import { coincidentLabels, logCostAxis } from "@/lib/charts/prepare-pareto";
import type { ActionResult } from "@/lib/errors";
import { evalRunQuery } from "@/lib/evals/query-options";
import { cancelRunAction } from "../../actions";
import { Breakable } from "@/components/ui/breakable";

const td = "px-5 py-2 tabular-nums";

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.message);
  return r.data;
}

export function RunView({ runId, canWrite }: { runId: string; canWrite: boolean }) {
  const q = useQuery(evalRunQuery(runId));
  const [selected, setSelected] = useState<string | null>(null);
  const cancel = useMutation({ mutationFn: () => unwrap(cancelRunAction({ runId })), onSuccess: () => void q.refetch() });
  const d = q.data;
  const scatter = useMemo(() => {
    if (!d) return null;
    const axis = logCostAxis(d.pareto);
    const view = (p: (typeof d.pareto)[number]): ScatterPointView => ({
      id: p.id,
      label: p.label,
      x: axis.x(p.costPer1k),
      quality: p.quality,
      costText: p.costPer1k > 0 ? formatUsd(p.costPer1k) : "free",
      p50Text: formatMs(p.p50TtftMs),
      p50: p.p50TtftMs ?? 0,
      onFrontier: p.onFrontier,
      dominatedBy: p.dominatedBy.map((x) => `${x.byLabel}: ${x.how}`),
    });
    const points = d.pareto.map(view);
    const frontier = d.pareto.filter((p) => p.onFrontier).sort((a, b) => a.costPer1k - b.costPer1k || a.quality - b.quality).map(view);
    return { points, frontier, axis, together: coincidentLabels(d.pareto) };
  }, [d]);

  if (q.isPending) return <p className="text-sm text-zinc-500">Loading the run…</p>;
  if (q.isError)
    return (
      <div className="space-y-2">
        <Alert tone="error">{q.error.message}</Alert>
        <Button size="sm" variant="secondary" onClick={() => void q.refetch()}>
          Try again
        </Button>
      </div>
    );
  const { run, summaries, cases } = q.data;
  const names = new Map(summaries.map((s) => [s.modelId, s.modelName]));
  const active = run.status === "queued" || run.status === "running";
  const header = ["model", "cases", "errors", "quality", "p50_ttft_ms", "p95_ttft_ms", "tokens_per_s", "cost_usd", "cost_per_1k_cases_usd"];
  const rows = summaries.map((s) => [s.modelName, s.cases, s.errors, s.quality, s.p50TtftMs, s.p95TtftMs, s.tokensPerSecond, s.costUsd, s.costPer1k]);
  const shown = selected ? cases.filter((c) => c.results[selected]) : cases;
  const casesTitle = selected ? `Cases answered by ${names.get(selected) ?? selected}` : "Cases side by side";

  return (
    <div className="space-y-5">
      <Card className="flex flex-wrap items-center justify-between gap-3 p-4">
        <div>
          <p className="text-sm">
            <Link href="/evals" className="text-accent-700 hover:underline dark:text-accent-500">
              Evals
            </Link>{" "}
            / {run.suiteName}
          </p>
          <p className="mt-1 text-sm" role="status">
            <span className="font-semibold">{run.status}</span> · {run.done} of {run.total} answers graded · {run.concurrency} at once
          </p>
          <progress className="mt-2 h-2 w-72 accent-orange-600" max={run.total} value={run.done} aria-label="Progress" />
        </div>
        {active && canWrite ? (
          <Button variant="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Cancel run
          </Button>
        ) : null}
        {cancel.isError ? <Alert tone="error">{cancel.error.message}</Alert> : null}
      </Card>

      <ChartFrame
        title="Quality × cost"
        description={
          <>
            Each model is a point (size: p50 time to first token). The orange line is the Pareto frontier; grey points are dominated. Click a point, or a model in the table below, for its cases.
            {scatter?.together.map((g) => (
              <span key={g.join()} className="mt-1 block">
                {listNames(g)} share one point: the same quality and cost.
              </span>
            ))}
          </>
        }
        state={summaries.length === 0 ? (active ? "loading" : "empty") : "ready"}
        emptyText="This run has no results."
        height={340}
        csv={{ filename: `eval-${run.id}.csv`, build: () => toCsv(header, rows) }}
        table={<ResultsTable summaries={summaries} caption="Quality × cost by model" />}
      >
        {scatter ? <QualityCostScatter points={scatter.points} frontier={scatter.frontier} domain={scatter.axis.domain} ticks={scatter.axis.ticks} formatX={(x) => (x <= scatter.axis.floor ? "free" : formatUsd(x))} onSelect={setSelected} /> : null}
      </ChartFrame>

      <Card>
        <CardHeader title="Per model" description="Quality is the mean case score (0-1). Percentiles are over this run's answers." />
        <ResultsTable summaries={summaries} caption="Per model" onSelect={setSelected} />
      </Card>

      <Card>
        <CardHeader
          title={casesTitle}
          description="Each model's answer next to the expected one, with its score and the graders' reasons."
          actions={
            selected ? (
              <Button size="sm" variant="ghost" onClick={() => setSelected(null)}>
                Show all models
              </Button>
            ) : null
          }
        />
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{casesTitle}</caption>
            <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800">
              <tr>
                <th scope="col" className="px-5 py-2">#</th>
                <th scope="col" className="px-5 py-2">Prompt</th>
                <th scope="col" className="px-5 py-2">Expected</th>
                {run.models
                  .filter((m) => !selected || m === selected)
                  .map((m) => (
                    <th scope="col" key={m} className="px-5 py-2">
                      {names.get(m) ?? m}
                    </th>
                  ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {shown.map((c) => (
                <tr key={c.idx} className="align-top">
                  <td className={td}>{c.idx + 1}</td>
                  <td className="min-w-48 max-w-xs px-5 py-2">{c.prompt}</td>
                  <td className="px-5 py-2 font-mono text-xs wrap-anywhere">
                    <Breakable text={c.expected} />
                  </td>
                  {run.models
                    .filter((m) => !selected || m === selected)
                    .map((m) => {
                      const r = c.results[m];
                      if (!r) return <td key={m} className="px-5 py-2 text-zinc-400">pending</td>;
                      return (
                        <td key={m} className="min-w-48 px-5 py-2">
                          <p className={`font-mono text-xs wrap-anywhere ${r.score === 1 ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}`}>{r.status === "error" ? `error: ${r.error}` : r.output ? <Breakable text={r.output} /> : "(empty)"}</p>
                          <p className="mt-1 text-xs text-zinc-500" title={r.grades.map((g) => `${g.type}: ${g.reason}`).join("\n")}>
                            score {r.score.toFixed(2)} · {formatMs(r.ttftMs)} · {r.grades.map((g) => `${g.type} ${g.score.toFixed(2)}`).join(", ")}
                          </p>
                        </td>
                      );
                    })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

const listNames = (names: string[]) => (names.length < 3 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

function ResultsTable({ summaries, caption, onSelect }: { summaries: import("@/lib/evals/summary").ModelRunSummary[]; caption: string; onSelect?: (modelId: string) => void }) {
  return (
    <DataTable
      caption={caption}
      columns={["Model", ...figures("Cases", "Errors", "Quality", "p50 TTFT", "p95 TTFT", "Tokens/s", "Cost / 1,000 cases")]}
    >
      {summaries.map((s) => (
        <tr key={s.modelId}>
          <th scope="row" className="px-5 py-2 text-left font-medium">
            {onSelect ? (
              <button type="button" className="text-left text-accent-700 underline-offset-2 hover:underline dark:text-accent-500" onClick={() => onSelect(s.modelId)} title={`Show the cases answered by ${s.modelName}`}>
                {s.modelName}
              </button>
            ) : (
              s.modelName
            )}
          </th>
          <td className={`${td} text-right`}>{s.cases}</td>
          <td className={`${td} text-right`}>{s.errors}</td>
          <td className={`${td} text-right`}>{s.quality.toFixed(3)}</td>
          <td className={`${td} text-right`}>{formatMs(s.p50TtftMs)}</td>
          <td className={`${td} text-right`}>{formatMs(s.p95TtftMs)}</td>
          <td className={`${td} text-right`}>{s.tokensPerSecond === null ? "—" : s.tokensPerSecond.toFixed(1)}</td>
          <td className={`${td} text-right`}>{s.costPer1k === null ? "no price" : formatUsd(s.costPer1k)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
