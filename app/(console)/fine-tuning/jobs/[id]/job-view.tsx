"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { LossCurveChart } from "@/components/charts/loss-curve-chart";
import { duration, int, pct } from "@/components/fine-tuning/format";
import { JobStatusBadge } from "@/components/fine-tuning/job-status-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { fineTuningJobQuery, fineTuningJobsQuery, type FineTuningJobDetail } from "@/lib/fine-tuning/query-options";
import { HYPERPARAMETER_HELP, HYPERPARAMETER_LABELS } from "@/lib/fine-tuning/schemas";
import { cancelFineTuningJobAction } from "../../actions";
import { When } from "@/components/ui/when";

const fmtLoss = (x: number | null | undefined) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(4) : "-");

export function JobView({ id, canCancel, canDeploy }: { id: string; canCancel: boolean; canDeploy: boolean }) {
  const q = useQuery(fineTuningJobQuery(id));
  return (
    <QueryState query={q} what="the job" loading={<Skeleton className="h-96 w-full" />}>
      {(detail) => <JobDetail id={id} detail={detail} canCancel={canCancel} canDeploy={canDeploy} />}
    </QueryState>
  );
}

function JobDetail({ id, detail, canCancel, canDeploy }: { id: string; detail: FineTuningJobDetail; canCancel: boolean; canDeploy: boolean }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: async () => {
      const r = await cancelFineTuningJobAction({ id });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: fineTuningJobQuery(id).queryKey });
      void queryClient.invalidateQueries({ queryKey: fineTuningJobsQuery.queryKey });
    },
  });
  const { job, points, checkpoints, events, compare } = detail;
  const p = job.progress;
  const live = job.status === "queued" || job.status === "running";
  const fraction = p ? p.step / Math.max(1, p.totalSteps) : 0;
  const ev = job.result?.evaluation;

  return (
    <div className="space-y-6">
      <Card className="space-y-3 p-5">
        <div className="flex flex-wrap items-center gap-3">
          <JobStatusBadge status={job.status} cancelRequested={job.cancelRequested} />
          {job.attempts > 1 ? <span className="text-sm text-zinc-500">attempt {job.attempts}</span> : null}
          <div className="ml-auto flex gap-2">
            {compare ? (
              <Link
                href={`/playground?model=${encodeURIComponent(compare.baseModelId)}&compare=${encodeURIComponent(compare.tunedModelId)}`}
                className="inline-flex h-10 items-center rounded-md bg-accent-700 px-4 text-sm font-medium text-white hover:bg-accent-800"
              >
                Compare in playground
              </Link>
            ) : null}
            {/* A full result deploys as a model of its own; a LoRA result as its base with the adapter attached. */}
            {compare && canDeploy && job.result?.registered ? (
              <Link
                href={
                  job.method === "full"
                    ? `/deployments/new?model=${encodeURIComponent(compare.tunedModelId)}`
                    : `/deployments/new?model=${encodeURIComponent(compare.baseModelId)}&adapter=${encodeURIComponent(job.fineTunedModel)}`
                }
                className="inline-flex h-10 items-center rounded-md border border-zinc-300 px-4 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
              >
                {job.method === "full" ? "Deploy" : "Deploy as adapter"}
              </Link>
            ) : null}
            {canCancel && live ? (
              <Button variant="danger" disabled={cancel.isPending || job.cancelRequested} onClick={() => cancel.mutate()}>
                {job.cancelRequested ? "Cancelling..." : "Cancel job"}
              </Button>
            ) : null}
          </div>
        </div>
        {cancel.error ? <Alert tone="error">{cancel.error.message}</Alert> : null}
        {job.error ? <Alert tone="error">{job.error}</Alert> : null}
        <div>
          <div
            className="h-3 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
            role="progressbar"
            aria-label="Training progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
          >
            <div className="h-full bg-accent-700 transition-[width]" style={{ width: `${fraction * 100}%` }} />
          </div>
          <p className="mt-2 text-sm tabular-nums text-zinc-600 dark:text-zinc-400">
            {p
              ? `Step ${p.step} of ${p.totalSteps} (epoch ${p.epoch.toFixed(2)}), train loss ${fmtLoss(p.trainLoss)}, validation loss ${fmtLoss(p.valLoss)}, ${int(p.tokensPerSecond)} tokens/s${job.status === "running" ? `, about ${duration(p.etaSeconds)} left` : ""}`
              : job.status === "queued"
                ? "Waiting in the queue: one training job runs at a time."
                : "No progress reported yet."}
          </p>
        </div>
      </Card>

      <Card>
        <CardHeader title="Loss" description="Train loss per step and validation loss when measured, from the points stored as the job runs." />
        <div className="p-4">
          {points.length ? <LossCurveChart points={points} /> : <p className="p-8 text-center text-sm text-zinc-500">The first loss point appears after the first step.</p>}
        </div>
      </Card>

      {job.status === "succeeded" ? (
        <Card>
          <CardHeader title="Result" />
          <div className="space-y-3 p-5 text-sm">
            <p>
              {job.result?.registered
                ? job.method === "lora"
                  ? `Registered as ${job.fineTunedModel} with the local engine (${job.baseModel} with this job's LoRA adapter): it answers in the playground and on /v1/chat/completions.`
                  : `Registered as ${job.fineTunedModel} with the local engine: it answers in the playground and on /v1/chat/completions.`
                : "The result was written but not registered as a model."}{" "}
              {job.result?.tokens ? `${int(job.result.tokens)} tokens in ${duration(job.result.seconds ?? 0)} (${int(job.result.tokensPerSecond ?? 0)} tokens/s).` : null}
            </p>
            {ev ? (
              <div className="space-y-2">
                <p className="font-medium">Before and after, on {ev.examples} validation examples (greedy answers from the engine):</p>
                <table className="text-sm">
                  <thead>
                    <tr className="text-left text-zinc-500">
                      <th className="pr-6 font-medium"></th>
                      <th className="pr-6 font-medium">{job.baseModel}</th>
                      <th className="font-medium">fine-tuned</th>
                    </tr>
                  </thead>
                  <tbody className="tabular-nums">
                    <tr>
                      <td className="pr-6">Exact match</td>
                      <td className="pr-6">{pct(ev.before.exactMatch)}</td>
                      <td>{pct(ev.after.exactMatch)}</td>
                    </tr>
                    {ev.before.jsonValid !== null ? (
                      <tr>
                        <td className="pr-6">Schema-valid JSON</td>
                        <td className="pr-6">{pct(ev.before.jsonValid)}</td>
                        <td>{pct(ev.after.jsonValid ?? 0)}</td>
                      </tr>
                    ) : null}
                  </tbody>
                </table>
                <ul className="space-y-2">
                  {ev.samples.map((s, i) => (
                    <li key={i} className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
                      <p className="break-words text-zinc-500">{s.prompt}</p>
                      <p className="break-words">
                        expected <code>{s.expected}</code>; base <code>{s.before || "(nothing)"}</code>; fine-tuned <code>{s.after || "(nothing)"}</code>
                      </p>
                    </li>
                  ))}
                </ul>
              </div>
            ) : job.result?.evaluationError ? (
              <Alert tone="error">The before/after check failed: {job.result.evaluationError}</Alert>
            ) : (
              <p className="text-zinc-500">No validation examples, so no before/after check.</p>
            )}
          </div>
        </Card>
      ) : null}

      {/* min-w-0: a grid item grows to its widest table otherwise, and the page scrolls sideways on a phone. */}
      <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <Card>
          <CardHeader title="Hyperparameters" description={`${job.method === "full" ? "Full fine-tuning" : "LoRA"}, validation: ${job.validation.kind === "split" ? "held-out split" : job.validation.kind}`} />
          <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 p-5 text-sm">
            {Object.entries(job.hyperparameters)
              .filter(([k]) => job.method === "lora" || !k.startsWith("lora"))
              .map(([k, v]) => (
                <div key={k} className="contents" title={HYPERPARAMETER_HELP[k as keyof typeof HYPERPARAMETER_HELP]}>
                  <dt className="text-zinc-500">{HYPERPARAMETER_LABELS[k as keyof typeof HYPERPARAMETER_LABELS] ?? k}</dt>
                  <dd className="tabular-nums">{String(v)}</dd>
                </div>
              ))}
          </dl>
        </Card>
        <Card>
          <CardHeader title="Checkpoints" description="Saved by the trainer as it runs; a restarted job resumes from the latest. Registering an earlier checkpoint as a model is not built yet." />
          {checkpoints.length ? (
            <div className="overflow-x-auto p-5">
              <table className="text-sm">
                <thead>
                  <tr className="text-left text-zinc-500">
                    <th className="pr-6 font-medium">Step</th>
                    <th className="pr-6 font-medium">Train loss</th>
                    <th className="pr-6 font-medium">Validation loss</th>
                    <th className="font-medium">Saved (UTC)</th>
                  </tr>
                </thead>
                <tbody className="tabular-nums">
                  {checkpoints.map((c) => (
                    <tr key={c.step}>
                      <td className="pr-6">{c.step}</td>
                      <td className="pr-6">{fmtLoss(c.trainLoss)}</td>
                      <td className="pr-6">{fmtLoss(c.valLoss)}</td>
                      <td className="whitespace-nowrap">
                        <When iso={c.at} precision="time" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="p-5 text-sm text-zinc-500">No checkpoint yet.</p>
          )}
        </Card>
      </div>

      <Card>
        <CardHeader title="Events" description="Times in UTC." />
        <ol className="space-y-1 p-5 text-sm" aria-label="Events">
          {events.map((e) => (
            <li key={e.id} className={e.level === "error" ? "text-red-600 dark:text-red-400" : ""}>
              <When iso={e.at} precision="time" className="mr-3 tabular-nums text-zinc-500" />
              {e.message}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
