"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { duration, int } from "@/components/fine-tuning/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import type { ActionResult, FieldErrors } from "@/lib/errors";
import { basesQuery, datasetsQuery, estimateQuery } from "@/lib/fine-tuning/query-options";
import {
  HYPERPARAMETER_HELP,
  HYPERPARAMETER_LABELS,
  defaultHyperparameters,
  hyperparametersSchema,
  type Hyperparameters,
  type Method,
  type ValidationSource,
} from "@/lib/fine-tuning/schemas";
import { createFineTuningJobAction } from "../actions";

const STEPS = ["Base model", "Dataset", "Method", "Estimate", "Review"] as const;

const FIELDS: { key: keyof Hyperparameters; lora?: boolean; step?: string }[] = [
  { key: "epochs" },
  { key: "learningRate", step: "any" },
  { key: "batchSize" },
  { key: "warmup", step: "any" },
  { key: "maxLength" },
  { key: "seed" },
  { key: "loraRank", lora: true },
  { key: "loraAlpha", lora: true, step: "any" },
];

type Draft = {
  baseModel: string;
  datasetId: string;
  validation: ValidationSource;
  method: Method;
  /** Kept as typed, so a half-typed number survives going back and forth. */
  hyper: Record<keyof Hyperparameters, string>;
  suffix: string;
};

const asText = (h: Hyperparameters) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)])) as Draft["hyper"];

function parseHyper(h: Draft["hyper"]) {
  return hyperparametersSchema.safeParse(Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.trim() === "" ? NaN : Number(v)])));
}

export function WizardView() {
  const router = useRouter();
  const bases = useQuery(basesQuery);
  const datasets = useQuery(datasetsQuery);
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Draft>({
    baseModel: "",
    datasetId: "",
    validation: { kind: "split" },
    method: "full",
    hyper: asText(defaultHyperparameters("full")),
    suffix: "",
  });
  const [touchedHyper, setTouchedHyper] = useState(false);
  const base = bases.data?.find((b) => b.name === draft.baseModel);
  const dataset = datasets.data?.find((d) => d.id === draft.datasetId);
  const hyper = parseHyper(draft.hyper);
  const hyperErrors: Partial<Record<string, string>> = {};
  if (!hyper.success) for (const i of hyper.error.issues) hyperErrors[String(i.path[0])] ??= i.message;

  const launch = useMutation({
    mutationFn: async () => {
      if (!hyper.success) throw new Error("Fix the hyperparameters first.");
      const r: ActionResult<{ id: string }> = await createFineTuningJobAction({
        baseModel: draft.baseModel,
        datasetId: draft.datasetId,
        validation: draft.validation,
        method: draft.method,
        hyperparameters: hyper.data,
        suffix: draft.suffix,
      });
      if (!r.ok) throw Object.assign(new Error(r.message), { fieldErrors: r.fieldErrors });
      return r.data;
    },
    onSuccess: (d) => router.push(`/fine-tuning/jobs/${d.id}`),
  });
  const launchFieldErrors = (launch.error as (Error & { fieldErrors?: FieldErrors }) | null)?.fieldErrors;

  const chooseBase = (name: string) => {
    const b = bases.data?.find((x) => x.name === name);
    const method = b?.recommended.method ?? "full";
    setDraft((d) => ({
      ...d,
      baseModel: name,
      // Defaults follow the base until the user edits a hyperparameter.
      ...(touchedHyper ? {} : { method, hyper: asText(defaultHyperparameters(method, b?.contextLength ?? 256)) }),
    }));
  };

  const canNext = [
    !!base?.trainable,
    !!dataset && (draft.validation.kind !== "dataset" || !!draft.validation.datasetId),
    hyper.success,
    true,
    true,
  ][step];

  return (
    <div className="space-y-6">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? "step" : undefined} className={i === step ? "font-semibold text-accent-700 dark:text-accent-100" : "text-zinc-500"}>
            {i + 1}. {s}
            {i < STEPS.length - 1 ? <span className="ml-2 text-zinc-400">→</span> : null}
          </li>
        ))}
      </ol>

      <Card className="space-y-4 p-5">
        <h2 className="text-lg font-semibold">{STEPS[step]}</h2>
        {step === 0 ? (
          bases.isPending ? (
            <Skeleton className="h-24 w-full" />
          ) : (
            <fieldset className="space-y-2">
              <legend className="sr-only">Base model</legend>
              {(bases.data ?? []).map((b) => (
                <label key={b.name} className={`flex items-start gap-3 rounded-md border p-3 ${b.trainable ? "cursor-pointer border-zinc-200 dark:border-zinc-800" : "border-dashed border-zinc-200 opacity-70 dark:border-zinc-800"}`}>
                  <input type="radio" name="base" value={b.name} disabled={!b.trainable} checked={draft.baseModel === b.name} onChange={() => chooseBase(b.name)} className="mt-1" />
                  <span>
                    <span className="font-medium">{b.name}</span>{" "}
                    <span className="text-sm text-zinc-500">
                      {(b.parameterCount / 1e6).toFixed(2)}M parameters{b.contextLength ? `, context ${b.contextLength} tokens` : ", context length unknown"}
                    </span>
                    {b.trainable ? null : <span className="block text-sm text-zinc-500">Cannot be fine-tuned here: {b.reason}.</span>}
                  </span>
                </label>
              ))}
              {!(bases.data ?? []).some((b) => b.trainable) ? <Alert>No local model can be fine-tuned by the local trainer.</Alert> : null}
            </fieldset>
          )
        ) : null}

        {step === 1 ? (
          <div className="space-y-4">
            {(datasets.data ?? []).length === 0 ? (
              <Alert>
                No datasets yet. <Link href="/fine-tuning/datasets" className="underline">Upload one</Link> first.
              </Alert>
            ) : null}
            <SelectField
              label="Training dataset"
              value={draft.datasetId}
              onChange={(e) => setDraft({ ...draft, datasetId: e.target.value })}
              error={launchFieldErrors?.datasetId?.[0]}
              options={[{ value: "", label: "Choose a dataset" }, ...(datasets.data ?? []).map((d) => ({ value: d.id, label: `${d.name} (${int(d.examples)} examples, ${int(d.tokens)} tokens)` }))]}
            />
            {dataset && base && dataset.maxExampleTokens > (base.contextLength ?? 256) ? (
              <Alert tone="error">
                Its longest example is {dataset.maxExampleTokens} tokens, longer than {base.name}&apos;s context of {base.contextLength}.
              </Alert>
            ) : null}
            <SelectField
              label="Validation"
              value={draft.validation.kind === "dataset" ? `dataset:${draft.validation.datasetId}` : draft.validation.kind}
              onChange={(e) => {
                const v = e.target.value;
                setDraft({ ...draft, validation: v.startsWith("dataset:") ? { kind: "dataset", datasetId: v.slice(8) } : { kind: v as "split" | "none" } });
              }}
              hint="Measured during training and used for the before/after check."
              options={[
                { value: "split", label: dataset ? `The dataset's held-out split (${int(dataset.validationExamples)} examples)` : "The dataset's held-out split" },
                ...(datasets.data ?? []).filter((d) => d.id !== draft.datasetId).map((d) => ({ value: `dataset:${d.id}`, label: `Another dataset: ${d.name}` })),
                { value: "none", label: "None" },
              ]}
            />
            {dataset && draft.validation.kind === "split" && dataset.validationExamples === 0 ? (
              <Alert tone="error">This dataset has no held-out split; pick another dataset for validation, or none.</Alert>
            ) : null}
          </div>
        ) : null}

        {step === 2 ? (
          <div className="space-y-4">
            <fieldset className="grid gap-2 sm:grid-cols-2">
              <legend className="mb-1 text-sm font-medium">Method</legend>
              {(["full", "lora"] as const).map((m) => (
                <label key={m} className="flex cursor-pointer items-start gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
                  <input
                    type="radio"
                    name="method"
                    value={m}
                    checked={draft.method === m}
                    onChange={() => setDraft({ ...draft, method: m, hyper: touchedHyper ? draft.hyper : asText(defaultHyperparameters(m, base?.contextLength ?? 256)) })}
                    className="mt-1"
                  />
                  <span>
                    <span className="font-medium">{m === "full" ? "Full fine-tuning" : "LoRA adapter"}</span>{" "}
                    {base?.recommended.method === m ? <Badge tone="accent">Recommended</Badge> : null}
                    <span className="block text-sm text-zinc-500">
                      {m === "full" ? "Updates every weight; the result is a new model file." : "Trains a small low-rank update on top of the base."}
                    </span>
                  </span>
                </label>
              ))}
            </fieldset>
            {base ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{base.recommended.why}</p> : null}
            {draft.method === "lora" ? (
              <Alert>A LoRA job writes a small adapter file; it is registered as a model that runs {draft.baseModel || "the base"} with the adapter applied, so the base must stay in the models folder.</Alert>
            ) : null}
            <div className="grid gap-4 sm:grid-cols-2">
              {FIELDS.filter((f) => !f.lora || draft.method === "lora").map((f) => (
                <TextField
                  key={f.key}
                  label={HYPERPARAMETER_LABELS[f.key]}
                  type="number"
                  step={f.step ?? "1"}
                  value={draft.hyper[f.key]}
                  onChange={(e) => {
                    setTouchedHyper(true);
                    setDraft({ ...draft, hyper: { ...draft.hyper, [f.key]: e.target.value } });
                  }}
                  error={hyperErrors[f.key] ?? launchFieldErrors?.[`hyperparameters.${f.key}`]?.[0]}
                  hint={HYPERPARAMETER_HELP[f.key]}
                />
              ))}
              <TextField
                label="Name suffix (optional)"
                value={draft.suffix}
                onChange={(e) => setDraft({ ...draft, suffix: e.target.value })}
                error={launchFieldErrors?.suffix?.[0]}
                hint="Part of the fine-tuned model's name: letters, digits and dashes."
              />
            </div>
          </div>
        ) : null}

        {step === 3 && base && dataset && hyper.success ? <EstimateStep baseModel={base.name} datasetId={dataset.id} validation={draft.validation} hyperparameters={hyper.data} /> : null}

        {step === 4 && base && dataset && hyper.success ? (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="text-zinc-500">Base model</dt>
            <dd>{base.name}</dd>
            <dt className="text-zinc-500">Dataset</dt>
            <dd>
              {dataset.name} ({int(dataset.trainExamples)} training examples)
            </dd>
            <dt className="text-zinc-500">Validation</dt>
            <dd>
              {draft.validation.kind === "split"
                ? `held-out split (${dataset.validationExamples} examples)`
                : draft.validation.kind === "none"
                  ? "none"
                  : (datasets.data?.find((d) => draft.validation.kind === "dataset" && d.id === draft.validation.datasetId)?.name ?? "another dataset")}
            </dd>
            <dt className="text-zinc-500">Method</dt>
            <dd>{draft.method === "full" ? "Full fine-tuning" : "LoRA adapter"}</dd>
            {FIELDS.filter((f) => !f.lora || draft.method === "lora").map((f) => (
              <div key={f.key} className="contents">
                <dt className="text-zinc-500">{HYPERPARAMETER_LABELS[f.key]}</dt>
                <dd className="tabular-nums">{hyper.data[f.key]}</dd>
              </div>
            ))}
            <dt className="text-zinc-500">Runs on</dt>
            <dd>This machine (local trainer)</dd>
          </dl>
        ) : null}
        {launch.error ? <Alert tone="error">{launch.error.message}</Alert> : null}
      </Card>

      <div className="flex justify-between">
        <Button variant="secondary" disabled={step === 0} onClick={() => setStep(step - 1)}>
          Back
        </Button>
        {step < STEPS.length - 1 ? (
          <Button disabled={!canNext} onClick={() => setStep(step + 1)}>
            Next
          </Button>
        ) : (
          <Button disabled={launch.isPending} onClick={() => launch.mutate()}>
            {launch.isPending ? "Launching..." : "Launch fine-tune"}
          </Button>
        )}
      </div>
    </div>
  );
}

function EstimateStep(props: { baseModel: string; datasetId: string; validation: ValidationSource; hyperparameters: Hyperparameters }) {
  const estimate = useQuery(estimateQuery(props));
  if (estimate.isPending) return <Skeleton className="h-24 w-full" />;
  if (estimate.isError) return <Alert tone="error">The estimate could not be computed: {estimate.error.message}</Alert>;
  const e = estimate.data;
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[12rem_1fr]">
        <dt className="text-zinc-500">Tokens</dt>
        <dd className="tabular-nums">
          {int(e.tokensPerEpoch)} per epoch × {props.hyperparameters.epochs} = {int(e.totalTokens)}
        </dd>
        <dt className="text-zinc-500">Optimizer steps</dt>
        <dd className="tabular-nums">{int(e.steps)} (examples packed into rows of {int(props.hyperparameters.maxLength)} tokens, {int(props.hyperparameters.batchSize)} rows a step)</dd>
        <dt className="text-zinc-500">Time</dt>
        <dd className="tabular-nums">
          about {duration(e.seconds)}: {duration(e.trainingSeconds)} training at {int(e.tokensPerSecond)} tokens/s, and {duration(e.overheadSeconds)} to start the
          trainer, check the validation loss and compare the result with its base
        </dd>
        <dt className="text-zinc-500">Cost</dt>
        <dd>$0.00 (runs on this machine)</dd>
      </dl>
      <p className="text-zinc-500">
        {e.basis === "measured"
          ? `Throughput is the median of this machine's last ${e.measuredJobs} finished job${e.measuredJobs === 1 ? "" : "s"} on this base.`
          : "No job has finished on this base here yet: throughput comes from the trainer's measured rate on a 2-core machine under moderate load. A busier machine is slower; the job page shows the measured rate and ETA."}
      </p>
    </div>
  );
}
