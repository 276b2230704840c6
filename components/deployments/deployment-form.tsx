"use client";
// The create form: every field with its default, and the server's field errors beside each field.
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import type { DeploymentFormOptions } from "@/lib/deployments/query-options";
import { DEPLOYMENT_DEFAULTS, type CreateDeploymentInput } from "@/lib/deployments/schemas";

interface AdapterRow {
  name: string;
  file: string;
  scale: string;
}

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

const optionalNum = (s: string) => (s.trim() === "" ? null : Number(s));

/**
 * A short adapter name for a fine-tuned adapter file: "ft-kindling-starter-support-1a2b3c" on the base
 * "kindling-starter" is called as "<deployment>:support-1a2b3c" (at most 32 characters, as names allow).
 */
export function adapterNameFor(file: string, baseName: string | undefined): string {
  const prefix = baseName ? `ft-${baseName}-` : "ft-";
  const short = file.startsWith(prefix) ? file.slice(prefix.length) : file;
  return short
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(-32)
    .replace(/^-+|-+$/g, "");
}

export function DeploymentForm({
  options,
  initialModelId,
  initialAdapterFile,
  onSubmit,
  pending,
  error,
}: {
  options: DeploymentFormOptions;
  /** The base model chosen when the form opens (e.g. "Deploy" on a fine-tuning job); ignored if not deployable. */
  initialModelId?: string;
  /** An adapter file attached when the form opens ("Deploy as adapter" on a LoRA job); ignored if not offered. */
  initialAdapterFile?: string;
  onSubmit: (input: CreateDeploymentInput) => void;
  pending: boolean;
  error: { message: string; fieldErrors?: FieldErrors } | null;
}) {
  const d = DEPLOYMENT_DEFAULTS;
  const [v, setV] = useState({
    name: "",
    modelId: options.baseModels.find((m) => m.id === initialModelId)?.id ?? options.baseModels[0]?.id ?? "",
    threads: String(d.engine.threads),
    parallel: String(d.engine.parallel),
    contextSize: "",
    minReplicas: String(d.minReplicas),
    maxReplicas: String(d.maxReplicas),
    targetConcurrency: String(d.targetConcurrency),
    scaleUpWindowS: String(d.scaleUpWindowS),
    scaleDownWindowS: String(d.scaleDownWindowS),
    scaleToZeroAfterS: String(d.scaleToZeroAfterS),
    failoverModelId: "",
  });
  const [adapters, setAdapters] = useState<AdapterRow[]>(() => {
    if (!initialAdapterFile || !options.adapterFiles.some((f) => f.file === initialAdapterFile)) return [];
    const baseName = options.baseModels.find((m) => m.id === v.modelId)?.name;
    return [{ name: adapterNameFor(initialAdapterFile, baseName), file: initialAdapterFile, scale: "1" }];
  });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((old) => ({ ...old, [k]: e.target.value }));
  const fe = (key: string) => error?.fieldErrors?.[key]?.[0];
  const minZero = v.minReplicas.trim() === "0";

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({
      name: v.name,
      modelId: v.modelId,
      adapters: adapters.map((a) => ({ name: a.name, file: a.file, scale: num(a.scale) })),
      engine: { threads: num(v.threads), parallel: num(v.parallel), contextSize: optionalNum(v.contextSize) },
      minReplicas: num(v.minReplicas),
      maxReplicas: num(v.maxReplicas),
      targetConcurrency: num(v.targetConcurrency),
      scaleUpWindowS: num(v.scaleUpWindowS),
      scaleDownWindowS: num(v.scaleDownWindowS),
      scaleToZeroAfterS: minZero ? optionalNum(v.scaleToZeroAfterS) : null,
      failoverModelId: v.failoverModelId || null,
    });
  }

  if (options.baseModels.length === 0) {
    return <Alert tone="info">There is no local model to deploy. Put a GGUF model file in the models directory of the data directory, then reload.</Alert>;
  }

  return (
    <form onSubmit={submit} className="space-y-8" noValidate>
      {error ? <Alert tone="error">{error.fieldErrors ? "Some fields need a change; each one says why below." : error.message}</Alert> : null}
      <section className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" value={v.name} onChange={set("name")} error={fe("name")} required placeholder="support-bot" hint="Lowercase letters, digits and dashes. Apps send it as the model." />
        <SelectField label="Base model" value={v.modelId} onChange={set("modelId")} error={fe("modelId")} options={options.baseModels.map((m) => ({ value: m.id, label: m.name }))} />
      </section>

      <section className="space-y-3">
        <div className="flex items-center justify-between">
          <h2 className="text-sm font-semibold">LoRA adapters</h2>
          <Button
            variant="secondary"
            size="sm"
            disabled={options.adapterFiles.length === 0}
            onClick={() => setAdapters((a) => [...a, { name: "", file: options.adapterFiles[0]?.file ?? "", scale: "1" }])}
          >
            Add adapter
          </Button>
        </div>
        {options.adapterFiles.length === 0 ? <p className="text-sm text-zinc-500">No adapter files in the models directory. Fine-tuned adapters appear here.</p> : null}
        {adapters.map((a, i) => (
          <div key={i} className="grid items-end gap-3 sm:grid-cols-[1fr_1fr_6rem_auto]">
            <TextField label={`Adapter ${i + 1} name`} value={a.name} error={fe(`adapters.${i}.name`)} onChange={(e) => setAdapters((all) => all.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} hint={v.name ? `Called as ${v.name}:${a.name || "name"}` : undefined} />
            <SelectField label="File" value={a.file} error={fe(`adapters.${i}.file`)} options={options.adapterFiles.map((f) => ({ value: f.file, label: f.file }))} onChange={(e) => setAdapters((all) => all.map((x, j) => (j === i ? { ...x, file: e.target.value } : x)))} />
            <TextField label="Scale" inputMode="decimal" value={a.scale} error={fe(`adapters.${i}.scale`)} onChange={(e) => setAdapters((all) => all.map((x, j) => (j === i ? { ...x, scale: e.target.value } : x)))} />
            <Button variant="ghost" size="sm" onClick={() => setAdapters((all) => all.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </div>
        ))}
      </section>

      <section className="space-y-3">
        <h2 className="text-sm font-semibold">Each replica</h2>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField label="Threads" inputMode="numeric" value={v.threads} onChange={set("threads")} error={fe("engine.threads")} hint="1 suits a small machine." />
          <TextField label="Parallel sequences" inputMode="numeric" value={v.parallel} onChange={set("parallel")} error={fe("engine.parallel")} hint="Requests one replica serves at once." />
          <TextField label="Context size" inputMode="numeric" value={v.contextSize} onChange={set("contextSize")} error={fe("engine.contextSize")} placeholder="model default" hint="Tokens per sequence; blank for the model's own." />
        </div>
      </section>

      <section className="space-y-3">
        <h2 className="text-sm font-semibold">Replicas and autoscaling</h2>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField label="Minimum replicas" inputMode="numeric" value={v.minReplicas} onChange={set("minReplicas")} error={fe("minReplicas")} hint="0 allows scaling to zero." />
          <TextField label="Maximum replicas" inputMode="numeric" value={v.maxReplicas} onChange={set("maxReplicas")} error={fe("maxReplicas")} />
          <TextField label="Target concurrency per replica" inputMode="decimal" value={v.targetConcurrency} onChange={set("targetConcurrency")} error={fe("targetConcurrency")} hint="Requests in flight per replica before adding one." />
          <TextField label="Scale-up window (s)" inputMode="numeric" value={v.scaleUpWindowS} onChange={set("scaleUpWindowS")} error={fe("scaleUpWindowS")} hint="Load must stay high this long." />
          <TextField label="Scale-down window (s)" inputMode="numeric" value={v.scaleDownWindowS} onChange={set("scaleDownWindowS")} error={fe("scaleDownWindowS")} hint="Load must stay low this long." />
          <TextField
            label="Scale to zero after idle (s)"
            inputMode="numeric"
            value={minZero ? v.scaleToZeroAfterS : ""}
            disabled={!minZero}
            placeholder={minZero ? "never" : "needs minimum 0"}
            onChange={set("scaleToZeroAfterS")}
            error={fe("scaleToZeroAfterS")}
          />
        </div>
        <SelectField
          label="Failover model"
          value={v.failoverModelId}
          onChange={set("failoverModelId")}
          error={fe("failoverModelId")}
          hint="Answers when no replica can take a request."
          options={[{ value: "", label: "None" }, ...options.failoverModels.map((m) => ({ value: m.id, label: `${m.name} (${m.providerName})` }))]}
        />
      </section>

      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create deployment"}
      </Button>
    </form>
  );
}
