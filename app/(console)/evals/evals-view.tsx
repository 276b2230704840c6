"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, figures } from "@/components/ui/table";
import { handleSubmit } from "@/components/ui/use-form-submit";
import type { ActionResult } from "@/lib/errors";
import { GRADER_LABELS, type GraderSpec } from "@/lib/evals/graders";
import { evalOverviewQuery } from "@/lib/evals/query-options";
import { SAMPLE_DATASETS, type SampleDataset } from "@/lib/evals/schemas";
import { createRunAction, createSuiteAction } from "./actions";
import { When } from "@/components/ui/when";

async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.fieldErrors ? Object.values(r.fieldErrors).flat().join(" ") || r.message : r.message);
  return r.data;
}

const input = "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const label = "block text-sm font-medium text-zinc-800 dark:text-zinc-200";
const SIMPLE: Exclude<GraderSpec["type"], "judge" | "json-schema" | "regex">[] = ["exact", "normalized", "contains", "numeric"];

function NewSuiteForm({ canWrite }: { canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [source, setSource] = useState<"dataset" | "upload">("dataset");
  const [dataset, setDataset] = useState<SampleDataset>("finetune-csv.val");
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [maxCases, setMaxCases] = useState("20");
  const [picked, setPicked] = useState<Set<string>>(new Set(["exact", "normalized"]));
  const [pattern, setPattern] = useState("");
  const [judge, setJudge] = useState({ model: "", rubric: "" });
  const overview = useQuery(evalOverviewQuery);
  const save = useMutation({
    mutationFn: () => {
      const graders: GraderSpec[] = [];
      for (const t of SIMPLE) if (picked.has(t)) graders.push(t === "contains" ? { type: t, caseSensitive: false } : t === "numeric" ? { type: t, tolerance: 0, relative: false } : { type: t });
      if (picked.has("regex")) graders.push({ type: "regex", pattern, flags: "" });
      if (picked.has("judge")) graders.push({ type: "judge", model: judge.model, rubric: judge.rubric });
      return unwrap(createSuiteAction({ name, source, dataset: source === "dataset" ? dataset : undefined, fileName: file?.name, fileText: file?.text, maxCases: Number(maxCases), graders, description: "" }));
    },
    onSuccess: () => {
      setName("");
      void queryClient.invalidateQueries({ queryKey: evalOverviewQuery.queryKey });
    },
  });
  const toggle = (t: string) => setPicked((p) => (p.has(t) ? new Set([...p].filter((x) => x !== t)) : new Set([...p, t])));
  return (
    <Card>
      <CardHeader title="New suite" description="Cases from a sample dataset or your own JSONL (the last assistant message is the expected answer) or CSV (columns input, expected)." />
      <form
        className="space-y-4 p-5"
        onSubmit={handleSubmit(() => save.mutate())}
      >
        <label className={label}>
          Name
          <input className={input} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <fieldset className="space-y-2">
          <legend className={label}>Cases from</legend>
          <div className="flex gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="source" checked={source === "dataset"} onChange={() => setSource("dataset")} /> Sample dataset
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="source" checked={source === "upload"} onChange={() => setSource("upload")} /> Upload a file
            </label>
          </div>
          {source === "dataset" ? (
            <label className={label}>
              Dataset
              <select className={input} value={dataset} onChange={(e) => setDataset(e.target.value as SampleDataset)}>
                {Object.entries(SAMPLE_DATASETS).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label className={label}>
              File (.jsonl or .csv)
              <input
                className={input}
                type="file"
                accept=".jsonl,.csv,application/json,text/csv"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  setFile(f ? { name: f.name, text: await f.text() } : null);
                }}
              />
            </label>
          )}
          <label className={label}>
            Use the first N cases
            <input className={input} inputMode="numeric" value={maxCases} onChange={(e) => setMaxCases(e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend className={label}>Graders (a case scores the mean of its graders)</legend>
          <div className="mt-2 grid grid-cols-2 gap-2 text-sm">
            {[...SIMPLE, "regex", "judge"].map((t) => (
              <label key={t} className="flex items-center gap-2">
                <input type="checkbox" checked={picked.has(t)} onChange={() => toggle(t)} /> {GRADER_LABELS[t as GraderSpec["type"]]}
              </label>
            ))}
          </div>
          {picked.has("regex") ? (
            <label className={`${label} mt-2`}>
              Pattern
              <input className={input} value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="^\w+,\w+,\d+$" />
            </label>
          ) : null}
          {picked.has("judge") ? (
            <div className="mt-2 space-y-2">
              <label className={label}>
                Judge model
                <select className={input} value={judge.model} onChange={(e) => setJudge((j) => ({ ...j, model: e.target.value }))}>
                  <option value="">Choose…</option>
                  {(overview.data?.models ?? []).map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name} ({m.providerName})
                    </option>
                  ))}
                </select>
              </label>
              <label className={label}>
                Rubric
                <textarea className={input} rows={2} value={judge.rubric} onChange={(e) => setJudge((j) => ({ ...j, rubric: e.target.value }))} />
              </label>
            </div>
          ) : null}
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">A JSON-schema grader is available from lib/evals and <code className="font-mono">npm run eval --grader json-schema</code>; this form does not offer it yet.</p>
        </fieldset>
        {save.isError ? <Alert tone="error">{save.error.message}</Alert> : null}
        {save.isSuccess ? <Alert tone="success">Suite saved with {save.data.caseCount} cases.</Alert> : null}
        <Button type="submit" disabled={!canWrite || save.isPending}>
          {save.isPending ? "Saving…" : "Save suite"}
        </Button>
      </form>
    </Card>
  );
}

function NewRunForm({ canWrite }: { canWrite: boolean }) {
  const router = useRouter();
  const overview = useQuery(evalOverviewQuery);
  const [suiteId, setSuiteId] = useState("");
  const [modelIds, setModelIds] = useState<string[]>([]);
  const [concurrency, setConcurrency] = useState("2");
  const start = useMutation({
    mutationFn: () => unwrap(createRunAction({ suiteId: suiteId || overview.data?.suites[0]?.id || "", modelIds, concurrency: Number(concurrency) })),
    onSuccess: (r) => router.push(`/evals/runs/${r.id}`),
  });
  const suites = overview.data?.suites ?? [];
  return (
    <Card>
      <CardHeader title="Run a suite" description="Every case on every chosen model, a few at a time. Each answer is metered like any other call (source: eval)." />
      {suites.length === 0 ? (
        <p className="p-5 text-sm text-zinc-500 dark:text-zinc-400">Save a suite first; runs start from a suite.</p>
      ) : (
        <form
          className="space-y-4 p-5"
          onSubmit={handleSubmit(() => start.mutate())}
        >
          <label className={label}>
            Suite
            <select className={input} value={suiteId || suites[0].id} onChange={(e) => setSuiteId(e.target.value)}>
              {suites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.caseCount} cases)
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend className={label}>Models</legend>
            <div className="mt-2 space-y-1 text-sm">
              {(overview.data?.models ?? []).map((m) => (
                <label key={m.id} className="flex items-center gap-2">
                  <input type="checkbox" checked={modelIds.includes(m.id)} onChange={() => setModelIds((ids) => (ids.includes(m.id) ? ids.filter((x) => x !== m.id) : [...ids, m.id]))} />
                  {m.name} <span className="text-zinc-500">({m.providerName})</span>
                </label>
              ))}
            </div>
          </fieldset>
          <label className={label}>
            Calls at once
            <input className={input} inputMode="numeric" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
          </label>
          {start.isError ? <Alert tone="error">{start.error.message}</Alert> : null}
          <Button type="submit" disabled={!canWrite || start.isPending || modelIds.length === 0}>
            {start.isPending ? "Starting…" : "Start run"}
          </Button>
        </form>
      )}
    </Card>
  );
}

export function EvalsView({ canWrite }: { canWrite: boolean }) {
  const overview = useQuery(evalOverviewQuery);
  const names = new Map(overview.data?.models.map((m) => [m.id, m.name]));
  return (
    <div className="space-y-5">
      {!canWrite ? <Alert>Viewers can read suites and runs; members create and run them.</Alert> : null}
      <div className="grid gap-5 lg:grid-cols-2">
        <NewSuiteForm canWrite={canWrite} />
        <NewRunForm canWrite={canWrite} />
      </div>
      <Card>
        <CardHeader title="Runs" />
        {overview.isError ? (
          <div className="space-y-2 p-5">
            <Alert tone="error">Runs could not be loaded.</Alert>
            <Button size="sm" variant="secondary" onClick={() => void overview.refetch()}>
              Try again
            </Button>
          </div>
        ) : !overview.data || overview.data.runs.length === 0 ? (
          <p className="p-5 text-sm text-zinc-500 dark:text-zinc-400">No runs yet. Start one above; its results, the quality × cost chart and every case appear on its page.</p>
        ) : (
          <DataTable columns={["Suite", "Models", "Status", ...figures("Calls"), "Started (UTC)"]}>
            {overview.data.runs.map((r) => (
              <tr key={r.id}>
                <td className="px-5 py-2">
                  <Link className="font-medium text-accent-700 underline-offset-2 hover:underline dark:text-accent-500" href={`/evals/runs/${r.id}`}>
                    {r.suiteName}
                  </Link>
                </td>
                <td className="px-5 py-2">{r.models.map((m) => names.get(m) ?? m).join(", ")}</td>
                <td className="px-5 py-2">{r.status}</td>
                <td className="px-5 py-2 text-right tabular-nums">{r.total}</td>
                <td className="px-5 py-2 tabular-nums"><When iso={r.createdAt} /></td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <Card>
        <CardHeader title="Suites" />
        {!overview.data || overview.data.suites.length === 0 ? (
          <p className="p-5 text-sm text-zinc-500 dark:text-zinc-400">No suites yet.</p>
        ) : (
          <DataTable columns={["Name", "From", ...figures("Cases"), "Graders"]}>
            {overview.data.suites.map((s) => (
              <tr key={s.id}>
                <td className="px-5 py-2 font-medium">{s.name}</td>
                <td className="px-5 py-2">{s.source}</td>
                <td className="px-5 py-2 text-right tabular-nums">{s.caseCount}</td>
                <td className="px-5 py-2">{s.graders.map((g) => GRADER_LABELS[g.type]).join(", ")}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
