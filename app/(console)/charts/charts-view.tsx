"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { BarSeriesChart } from "@/components/charts/bar-series-chart";
import { ChartFrame, type FrameState, type FrameStatus } from "@/components/charts/chart-frame";
import { LineSeriesChart } from "@/components/charts/line-series-chart";
import { seriesColor } from "@/components/charts/palette";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, figures } from "@/components/ui/table";
import { handleSubmit } from "@/components/ui/use-form-submit";
import { toCsv } from "@/lib/charts/csv";
import { formatBucket, formatMs, formatShare, formatUsd } from "@/lib/charts/format";
import { prepareUsage } from "@/lib/charts/prepare-usage";
import { DEFAULT_CHART_PARAMS, requestsBehindQuery, usageChartQuery, type ChartParams, type UsageChartData } from "@/lib/charts/query-options";
import { RANGES, type RangeKey, type UsageFilters } from "@/lib/charts/schemas";
import type { ActionResult } from "@/lib/errors";
import { setTtftBudgetAction } from "./actions";
import { When } from "@/components/ui/when";

const RANGE_LABEL: Record<RangeKey, string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d", "30d": "30 d", custom: "Custom" };
const FILTERS: { key: keyof UsageFilters; label: string }[] = [
  { key: "model", label: "Model" },
  { key: "provider", label: "Provider" },
  { key: "deployment", label: "Deployment" },
  { key: "user", label: "User" },
  { key: "apiKey", label: "API key" },
  { key: "source", label: "Source" },
];
const td = "whitespace-nowrap px-5 py-2 tabular-nums";
/** The compact selects of this page (filters, the TTFT card's model). */
const select = "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const num = (v: number) => v.toLocaleString("en-US");

interface Selection {
  bucket: string;
  modelName?: string;
  status?: string;
  label: string;
}

function frameState(q: { isPending: boolean; isError: boolean }, empty: boolean): FrameState {
  if (q.isPending) return "loading";
  if (q.isError) return "error";
  return empty ? "empty" : "ready";
}

export function ChartsView({ canEditBudgets }: { canEditBudgets: boolean }) {
  const [params, setParams] = useState<ChartParams>(DEFAULT_CHART_PARAMS);
  const [custom, setCustom] = useState({ from: "", to: "" });
  const [selection, setSelection] = useState<Selection | null>(null);
  const query = useQuery(usageChartQuery(params));
  const data: UsageChartData | undefined = query.data;
  const prepared = useMemo(() => (data ? prepareUsage(data, data.budgets) : null), [data]);
  // Requests but not a cent: an empty spend chart would look broken, so it says why instead.
  const allFree = prepared !== null && !prepared.isEmpty && prepared.totals.costUsd === 0;
  const fx = (b: string) => formatBucket(b, data?.grain ?? "hour");
  const empty = !prepared || prepared.isEmpty;
  const frame: FrameStatus = {
    state: frameState(query, empty),
    emptyText: "No requests in this window. Calls from the playground, the API and eval runs appear here within a few seconds of finishing.",
    onRetry: () => void query.refetch(),
  };
  const colors = new Map(prepared?.stackKeys.map((k, i) => [k, seriesColor(k, i)]));
  const modelColor = (m: string, i: number) => colors.get(m) ?? seriesColor(m, i);

  const applyCustom = () => {
    const from = new Date(`${custom.from}:00Z`);
    const to = new Date(`${custom.to}:00Z`);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return;
    setParams((p) => ({ ...p, range: "custom", from: from.toISOString(), to: to.toISOString() }));
  };
  const customInvalid = params.range === "custom" && custom.from && custom.to && custom.from >= custom.to;

  return (
    <div className="space-y-5">
      <Card className="space-y-3 p-4">
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <Button
              key={r}
              size="sm"
              variant={params.range === r ? "primary" : "secondary"}
              aria-pressed={params.range === r}
              onClick={() => (r === "custom" ? setParams((p) => ({ ...p, range: "custom" })) : setParams((p) => ({ ...p, range: r, from: undefined, to: undefined })))}
            >
              {RANGE_LABEL[r]}
            </Button>
          ))}
          {params.range === "custom" ? (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <label className="flex items-center gap-1">
                From (UTC)
                <input type="datetime-local" className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900" value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
              </label>
              <label className="flex items-center gap-1">
                To (UTC)
                <input type="datetime-local" className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900" value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
              </label>
              <Button size="sm" variant="secondary" disabled={!custom.from || !custom.to || Boolean(customInvalid)} onClick={applyCustom}>
                Apply
              </Button>
              {customInvalid ? <span className="text-red-600 dark:text-red-400">The end must be after the start.</span> : null}
            </div>
          ) : null}
          {query.isFetching && !query.isPending ? <span className="text-xs text-zinc-500">Updating…</span> : null}
        </div>
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
          {FILTERS.map((f) => (
            <label key={f.key} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
              {f.label}
              <select
                className={`mt-1 block w-full ${select}`}
                value={params[f.key][0] ?? ""}
                onChange={(e) => setParams((p) => ({ ...p, [f.key]: e.target.value ? [e.target.value] : [] }))}
              >
                <option value="">All</option>
                {(data?.options[f.key] ?? []).map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        {data ? (
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {formatBucket(data.from, "minute")} to {formatBucket(data.to, "minute")} UTC, one point per {data.grain}, from stored rollups.
          </p>
        ) : null}
      </Card>

      {prepared && !prepared.isEmpty ? (
        <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          {[
            ["Spend", formatUsd(prepared.totals.costUsd)],
            ["Requests", num(prepared.totals.requests)],
            ["Errors", `${num(prepared.totals.errors)} (${formatShare(prepared.totals.errors / prepared.totals.requests)})`],
            ["Tokens out", num(prepared.totals.outputTokens)],
          ].map(([k, v]) => (
            <Card key={k} className="px-4 py-3">
              <dt className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{k}</dt>
              <dd className="mt-1 text-xl font-semibold tabular-nums">{v}</dd>
            </Card>
          ))}
        </dl>
      ) : null}

      <div className="grid gap-5 xl:grid-cols-2">
        <ChartFrame
          title="Spend by model"
          description="US dollars per bucket, stacked by model. Click a bar for its requests."
          {...(allFree ? { ...frame, state: "empty", emptyText: `No spend in this window: its ${num(prepared.totals.requests)} requests were on models without a price, such as the local engine's.` } : frame)}
          csv={prepared ? { filename: "spend-by-model.csv", build: () => toCsv(["bucket", ...prepared.stackKeys], prepared.spend.map((r) => [r.bucket, ...prepared.stackKeys.map((k) => r[k] as number)])) } : undefined}
          table={
            prepared ? (
              <DataTable columns={["Bucket (UTC)", ...figures(...prepared.stackKeys)]}>
                {prepared.spend.map((r) => (
                  <tr key={r.bucket}>
                    <td className={td}>{fx(r.bucket)}</td>
                    {prepared.stackKeys.map((k) => (
                      <td key={k} className={`${td} text-right`}>
                        {formatUsd(r[k] as number)}
                      </td>
                    ))}
                  </tr>
                ))}
              </DataTable>
            ) : null
          }
        >
          {prepared ? (
            <BarSeriesChart
              data={prepared.spend}
              series={prepared.stackKeys.map((k, i) => ({ key: k, label: k, color: seriesColor(k, i) }))}
              formatX={fx}
              formatY={formatUsd}
              onSelect={(bucket, key) => setSelection({ bucket, modelName: key === "Other" ? undefined : key, label: `${key} at ${fx(bucket)}` })}
            />
          ) : null}
        </ChartFrame>

        <ChartFrame
          title="Requests and errors"
          description="Requests per bucket; errors stacked on top. Click a bar for its requests."
          {...frame}
          csv={prepared ? { filename: "requests-and-errors.csv", build: () => toCsv(["bucket", "ok", "errors"], prepared.requests.map((r) => [r.bucket, r.ok, r.errors])) } : undefined}
          table={
            prepared ? (
              <DataTable columns={["Bucket (UTC)", ...figures("Succeeded", "Errors")]}>
                {prepared.requests.map((r) => (
                  <tr key={r.bucket}>
                    <td className={td}>{fx(r.bucket)}</td>
                    <td className={`${td} text-right`}>{num(r.ok)}</td>
                    <td className={`${td} text-right`}>{num(r.errors)}</td>
                  </tr>
                ))}
              </DataTable>
            ) : null
          }
        >
          {prepared ? (
            <BarSeriesChart
              data={prepared.requests}
              series={[
                { key: "ok", label: "Succeeded", color: "#2563eb" },
                { key: "errors", label: "Errors", color: "#dc2626" },
              ]}
              formatX={fx}
              formatY={(v) => num(Math.round(v))}
              onSelect={(bucket, key) => setSelection({ bucket, status: key === "errors" ? "error" : undefined, label: `${key === "errors" ? "the errors" : "the bar"} at ${fx(bucket)}` })}
            />
          ) : null}
        </ChartFrame>
      </div>

      {selection ? <RequestsBehind params={params} grain={data?.grain ?? "hour"} selection={selection} onClose={() => setSelection(null)} /> : null}

      <TtftSection prepared={prepared} frame={frame} fx={fx} modelColor={modelColor} canEditBudgets={canEditBudgets} onSelect={(bucket, modelName) => setSelection({ bucket, modelName, label: `${modelName} at ${fx(bucket)}` })} />

      <ChartFrame
        title="Tokens per second"
        description="Output tokens after the first, divided by the time spent generating them, per model."
        {...frame}
        csv={prepared ? { filename: "tokens-per-second.csv", build: () => toCsv(["bucket", ...prepared.models.map((m) => m.modelName)], prepared.tokensPerSecond.map((r) => [r.bucket, ...prepared.models.map((m) => r[m.modelName] as number | null)])) } : undefined}
        table={
          prepared ? (
            <DataTable columns={["Bucket (UTC)", ...figures(...prepared.models.map((m) => m.modelName))]}>
              {prepared.tokensPerSecond.map((r) => (
                <tr key={r.bucket}>
                  <td className={td}>{fx(r.bucket)}</td>
                  {prepared.models.map((m) => (
                    <td key={m.modelName} className={`${td} text-right`}>
                      {r[m.modelName] == null ? "—" : (r[m.modelName] as number).toFixed(1)}
                    </td>
                  ))}
                </tr>
              ))}
            </DataTable>
          ) : null
        }
      >
        {prepared ? (
          <LineSeriesChart
            data={prepared.tokensPerSecond}
            lines={prepared.models.map((m, i) => ({ key: m.modelName, label: m.modelName, color: modelColor(m.modelName, i) }))}
            formatX={fx}
            formatY={(v) => `${v.toFixed(0)} tok/s`}
          />
        ) : null}
      </ChartFrame>
    </div>
  );
}

function TtftSection({
  prepared,
  frame,
  fx,
  modelColor,
  canEditBudgets,
  onSelect,
}: {
  prepared: ReturnType<typeof prepareUsage> | null;
  frame: FrameStatus;
  fx: (b: string) => string;
  modelColor: (m: string, i: number) => string;
  canEditBudgets: boolean;
  onSelect: (bucket: string, modelName: string) => void;
}) {
  const [picked, setPicked] = useState<string | null>(null);
  const models = prepared?.models ?? [];
  const current = models.find((m) => m.modelName === picked) ?? models[0];
  const series = current && prepared ? prepared.ttft[current.modelName] : [];
  return (
    <div className="space-y-3">
      <ChartFrame
        title="Time to first token"
        description={current ? `p50 and p95 for ${current.modelName}, against its ${current.budgetMs} ms budget. Click a point for its requests.` : "p50 and p95 per model against its budget."}
        {...frame}
        csv={current ? { filename: `ttft-${current.modelName}.csv`, build: () => toCsv(["bucket", "requests", "p50_ms", "p95_ms", "budget_ms"], series.map((r) => [r.bucket, r.requests, r.p50, r.p95, current.budgetMs])) } : undefined}
        table={
          <DataTable columns={["Bucket (UTC)", ...figures("Requests", "p50", "p95")]}>
            {series.map((r) => (
              <tr key={r.bucket}>
                <td className={td}>{fx(r.bucket)}</td>
                <td className={`${td} text-right`}>{num(r.requests)}</td>
                <td className={`${td} text-right`}>{formatMs(r.p50)}</td>
                <td className={`${td} text-right`}>{formatMs(r.p95)}</td>
              </tr>
            ))}
          </DataTable>
        }
      >
        {current ? (
          <div className="flex h-full flex-col">
            {/* A list, not a row of buttons: a dozen models would push the chart out of its card on a phone. */}
            <label className="mb-2 flex items-center gap-2 text-xs font-medium text-zinc-600 dark:text-zinc-400">
              Model
              <select className={`min-w-0 ${select}`} value={current.modelName} onChange={(e) => setPicked(e.target.value)}>
                {models.map((m) => (
                  <option key={m.modelName} value={m.modelName}>
                    {m.modelName}
                  </option>
                ))}
              </select>
            </label>
            <div className="min-h-0 flex-1">
              <LineSeriesChart
                data={series}
                lines={[
                  { key: "p50", label: "p50", color: modelColor(current.modelName, 0) },
                  { key: "p95", label: "p95", color: modelColor(current.modelName, 0), dashed: true },
                ]}
                formatX={fx}
                formatY={formatMs}
                reference={{ y: current.budgetMs, label: `budget ${current.budgetMs} ms` }}
                onSelect={(bucket) => onSelect(bucket, current.modelName)}
              />
            </div>
          </div>
        ) : null}
      </ChartFrame>
      {prepared && !prepared.isEmpty ? <ModelSummaryTable prepared={prepared} canEditBudgets={canEditBudgets} /> : null}
    </div>
  );
}

function ModelSummaryTable({ prepared, canEditBudgets }: { prepared: ReturnType<typeof prepareUsage>; canEditBudgets: boolean }) {
  const header = ["model", "requests", "errors", "spend_usd", "avg_ttft_ms", "p50_ttft_ms", "p95_ttft_ms", "budget_ms", "within_budget", "tokens_per_s"];
  const rows = prepared.models.map((m) => [m.modelName, m.requests, m.errors, m.costUsd, m.avgTtftMs, m.p50TtftMs, m.p95TtftMs, m.budgetMs, m.withinBudget, m.tokensPerSecond]);
  return (
    <Card>
      <CardHeader
        title="Per model in this window"
        description="Percentiles from stored histograms (within 2% of the exact value). Share within budget counts requests whose first token came at or under the model's budget."
        actions={
          <Button size="sm" variant="ghost" onClick={() => import("@/components/charts/chart-frame").then((m) => m.downloadCsv("models.csv", toCsv(header, rows)))}>
            CSV
          </Button>
        }
      />
      <DataTable
        columns={["Model", ...figures("Requests", "Errors", "Spend", "p50 TTFT", "p95 TTFT", "Budget", "Within budget", "Tokens/s")]}
      >
        {prepared.models.map((m) => (
          <tr key={m.modelName}>
            <th scope="row" className="whitespace-nowrap px-5 py-2 text-left font-medium">
              {m.modelName}
            </th>
            <td className={`${td} text-right`}>{num(m.requests)}</td>
            <td className={`${td} text-right`}>{num(m.errors)}</td>
            <td className={`${td} text-right`}>{formatUsd(m.costUsd)}</td>
            <td className={`${td} text-right`}>{formatMs(m.p50TtftMs)}</td>
            <td className={`${td} text-right`}>{formatMs(m.p95TtftMs)}</td>
            <td className={`${td} text-right`}>{canEditBudgets ? <BudgetEditor modelName={m.modelName} budgetMs={m.budgetMs} /> : `${m.budgetMs} ms`}</td>
            <td className={`${td} text-right`}>{formatShare(m.withinBudget)}</td>
            <td className={`${td} text-right`}>{m.tokensPerSecond === null ? "—" : m.tokensPerSecond.toFixed(1)}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw Object.assign(new Error(r.fieldErrors ? Object.values(r.fieldErrors).flat().join(" ") : r.message), { code: r.code });
  return r.data;
}

function BudgetEditor({ modelName, budgetMs }: { modelName: string; budgetMs: number }) {
  const [value, setValue] = useState(String(budgetMs));
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => unwrap(setTtftBudgetAction({ modelName, budgetMs: Number(value) })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["charts", "usage"] }),
  });
  return (
    <form
      className="flex items-center justify-end gap-1"
      onSubmit={handleSubmit(() => save.mutate())}
    >
      <input
        aria-label={`TTFT budget for ${modelName} in ms`}
        inputMode="numeric"
        className="w-20 rounded-md border border-zinc-300 bg-white px-2 py-1 text-right text-sm dark:border-zinc-700 dark:bg-zinc-900"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <span className="text-xs text-zinc-500">ms</span>
      {value !== String(budgetMs) ? (
        <Button size="sm" variant="secondary" type="submit" disabled={save.isPending}>
          Save
        </Button>
      ) : null}
      {save.isError ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {save.error.message}
        </span>
      ) : null}
    </form>
  );
}

function RequestsBehind({ params, grain, selection, onClose }: { params: ChartParams; grain: UsageChartData["grain"]; selection: Selection; onClose: () => void }) {
  const q = useQuery(requestsBehindQuery(params, { bucket: selection.bucket, grain, modelName: selection.modelName, status: selection.status }));
  return (
    <Card>
      <CardHeader
        title={`Requests behind ${selection.label}`}
        description="The stored usage rows this point was rolled up from (newest first, at most 100)."
        actions={
          <Button size="sm" variant="ghost" onClick={onClose}>
            Close
          </Button>
        }
      />
      {q.isPending ? (
        <p className="px-5 py-4 text-sm text-zinc-500">Loading requests…</p>
      ) : q.isError ? (
        <div className="space-y-2 px-5 py-4">
          <Alert tone="error">The requests could not be loaded.</Alert>
          <Button size="sm" variant="secondary" onClick={() => void q.refetch()}>
            Try again
          </Button>
        </div>
      ) : q.data.length === 0 ? (
        <p className="px-5 py-4 text-sm text-zinc-500">No requests in this bucket.</p>
      ) : (
        <DataTable
          columns={["At (UTC)", "Model", "Source", "Status", ...figures("TTFT", "Total", "Tokens in/out", "Cost")]}
        >
          {q.data.map((r) => (
            <tr key={r.requestId}>
              <td className={td}>
                <When iso={r.at} precision="second" />
              </td>
              <td className="px-5 py-2">{r.modelName}</td>
              <td className="px-5 py-2">{r.source}</td>
              <td className="px-5 py-2">{r.status === "error" ? `error${r.errorCode ? ` (${r.errorCode})` : ""}` : r.status}</td>
              <td className={`${td} text-right`}>{formatMs(r.ttftMs)}</td>
              <td className={`${td} text-right`}>{formatMs(r.totalMs)}</td>
              <td className={`${td} text-right`}>
                {r.inputTokens ?? "—"} / {r.outputTokens ?? "—"}
              </td>
              <td className={`${td} text-right`}>{formatUsd(r.costUsd)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
