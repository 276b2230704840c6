"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { DatasetCard } from "@/components/fine-tuning/dataset-card";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { handleSubmit } from "@/components/ui/use-form-submit";
import { basesQuery, datasetsQuery, type DatasetDto } from "@/lib/fine-tuning/query-options";

type UploadOutcome =
  | { ok: true; dataset: DatasetDto; existed: boolean }
  | { ok: false; issues: { line: number; reason: string }[]; issueCount: number };

class UploadError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

// The file goes as the raw request body to a route handler, which streams it to disk: a server
// action would have to hold up to 100 MB in memory.
async function upload(file: File, params: Record<string, string>): Promise<UploadOutcome> {
  const response = await fetch(`/api/fine-tuning/datasets?${new URLSearchParams(params)}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: file,
  });
  const body = await response.json().catch(() => null);
  if (response.status === 422) return body as UploadOutcome;
  if (!response.ok) throw new UploadError(body?.error?.message ?? `Upload failed (${response.status})`, body?.error?.fieldErrors);
  return body as UploadOutcome;
}

function UploadForm({ onStored }: { onStored: (d: DatasetDto, existed: boolean) => void }) {
  const bases = useQuery(basesQuery);
  const trainable = (bases.data ?? []).filter((b) => b.trainable);
  const [file, setFile] = useState<File | null>(null);
  // The input itself is what was chosen: a file picked before the page hydrated fired no onChange.
  const fileInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState("");
  const [format, setFormat] = useState<"jsonl" | "csv">("jsonl");
  const [baseModel, setBaseModel] = useState("");
  const [validationPercent, setValidationPercent] = useState("10");
  const [columns, setColumns] = useState({ prompt: "prompt", completion: "completion", system: "" });
  const [issues, setIssues] = useState<{ list: { line: number; reason: string }[]; count: number; file: string } | null>(null);
  const base = baseModel || trainable.find((b) => b.name === "kindling-starter")?.name || trainable[0]?.name || "";

  const mutation = useMutation({
    mutationFn: async () => {
      const chosen = fileInput.current?.files?.[0] ?? file;
      if (!chosen) throw new UploadError("Choose a file to upload.", { file: ["required"] });
      const params: Record<string, string> = { name: name || chosen.name, format, baseModel: base, validationPercent };
      if (format === "csv") Object.assign(params, { promptColumn: columns.prompt, completionColumn: columns.completion, systemColumn: columns.system });
      return { chosen, outcome: await upload(chosen, params) };
    },
    onSuccess: ({ chosen, outcome: r }) => {
      if (r.ok) {
        setIssues(null);
        onStored(r.dataset, r.existed);
      } else setIssues({ list: r.issues, count: r.issueCount, file: chosen.name });
    },
  });
  const fieldErrors = mutation.error instanceof UploadError ? mutation.error.fieldErrors : undefined;

  return (
    <Card>
      <CardHeader title="Upload a dataset" description="Up to 100 MB. Lengths are counted in the chosen base model's own tokens." />
      <form
        className="grid gap-4 p-5 md:grid-cols-2"
        onSubmit={handleSubmit(() => mutation.mutate())}
      >
        <div className="space-y-1.5">
          <label htmlFor="dataset-file" className="block text-sm font-medium">
            File
          </label>
          <input
            id="dataset-file"
            ref={fileInput}
            type="file"
            accept=".jsonl,.json,.csv,.txt"
            className="block w-full text-sm text-zinc-700 file:mr-3 file:h-10 file:cursor-pointer file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-4 file:text-sm file:font-medium file:text-zinc-900 hover:file:bg-zinc-100 dark:text-zinc-300 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100 dark:hover:file:bg-zinc-800"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f && /\.csv$/i.test(f.name)) setFormat("csv");
              if (f && /\.jsonl?$/i.test(f.name)) setFormat("jsonl");
            }}
          />
          {fieldErrors?.file ? <p className="text-sm text-red-600">{fieldErrors.file[0]}</p> : null}
        </div>
        <TextField label="Name" value={name} placeholder={file?.name ?? "e.g. support answers v1"} onChange={(e) => setName(e.target.value)} error={fieldErrors?.name?.[0]} />
        <SelectField
          label="Format"
          value={format}
          onChange={(e) => setFormat(e.target.value as "jsonl" | "csv")}
          options={[
            { value: "jsonl", label: "JSONL: chat messages or prompt/completion" },
            { value: "csv", label: "CSV with a header row" },
          ]}
        />
        <SelectField
          label="Check lengths against"
          value={base}
          onChange={(e) => setBaseModel(e.target.value)}
          error={fieldErrors?.baseModel?.[0]}
          hint="Examples longer than this base's context are named as bad lines."
          options={trainable.length ? trainable.map((b) => ({ value: b.name, label: `${b.name} (context ${b.contextLength})` })) : [{ value: "", label: "No trainable local model" }]}
        />
        <TextField
          label="Validation share (%)"
          type="number"
          min={0}
          max={50}
          value={validationPercent}
          onChange={(e) => setValidationPercent(e.target.value)}
          error={fieldErrors?.validationPercent?.[0]}
          hint="Held out from training to measure the validation loss and the before/after check. 0 for none."
        />
        {format === "csv" ? (
          <div className="grid gap-4 sm:grid-cols-3 md:col-span-2">
            <TextField label="Prompt column" value={columns.prompt} onChange={(e) => setColumns({ ...columns, prompt: e.target.value })} error={fieldErrors?.promptColumn?.[0]} />
            <TextField label="Completion column" value={columns.completion} onChange={(e) => setColumns({ ...columns, completion: e.target.value })} error={fieldErrors?.completionColumn?.[0]} />
            <TextField label="System column (optional)" value={columns.system} onChange={(e) => setColumns({ ...columns, system: e.target.value })} />
          </div>
        ) : null}
        <div className="flex items-center gap-3 md:col-span-2">
          <Button type="submit" disabled={mutation.isPending || !trainable.length}>
            {mutation.isPending ? "Uploading and checking..." : "Upload and check"}
          </Button>
          {mutation.error ? <span className="text-sm text-red-600 dark:text-red-400">{mutation.error.message}</span> : null}
        </div>
      </form>
      {issues ? (
        <div className="border-t border-zinc-200 p-5 dark:border-zinc-800">
          <Alert tone="error">
            {issues.file} was not stored: {issues.count} bad line{issues.count === 1 ? "" : "s"}
            {issues.count > issues.list.length ? ` (the first ${issues.list.length} are listed)` : ""}. Fix them and upload again.
          </Alert>
          <ul aria-label="Bad lines" className="mt-3 max-h-96 space-y-1 overflow-y-auto text-sm">
            {issues.list.map((i) => (
              <li key={`${i.line}-${i.reason}`} className="font-mono">
                <span className="font-semibold">line {i.line}:</span> {i.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}

export function DatasetsView({ canUpload }: { canUpload: boolean }) {
  const queryClient = useQueryClient();
  const datasets = useQuery(datasetsQuery);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="space-y-6">
      {canUpload ? (
        <UploadForm
          onStored={(d, existed) => {
            setNotice(existed ? `This content was already stored as "${d.name}"; nothing new was added.` : `Stored "${d.name}": ${d.examples} examples.`);
            void queryClient.invalidateQueries({ queryKey: datasetsQuery.queryKey });
          }}
        />
      ) : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <QueryState
        query={datasets}
        what="the datasets"
        loading={<Skeleton className="h-64 w-full" />}
        empty={
          <Card className="p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
            No datasets yet. The sample dataset that teaches the starter model a CSV format is in assets/starter/finetune-csv.train.jsonl.
          </Card>
        }
      >
        {(data) => data.map((d) => <DatasetCard key={d.id} dataset={d} />)}
      </QueryState>
    </div>
  );
}
