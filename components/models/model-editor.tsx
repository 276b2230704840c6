"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import type { FieldErrors } from "@/lib/errors";
import { formatPerMillion, formatWhen } from "@/lib/models/format";
import { SUGGESTED_TAGS, type ModelDto, type PriceDto } from "@/lib/models/query-options";

export interface ModelDetailsValues {
  displayName: string;
  tags: string[];
  contextLength?: number | null;
}

const PRICE_FIELDS = [
  { name: "inputPerMillion", label: "Input", placeholder: "0.50" },
  { name: "outputPerMillion", label: "Output", placeholder: "1.50" },
] as const;

function parseTags(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

/** An admin's editor for one model: details and tags, and a new price (each change is a new version). */
export function ModelEditor({
  model,
  history,
  onSaveDetails,
  onSavePrice,
  detailsPending,
  pricePending,
  detailsError,
  priceError,
}: {
  model: ModelDto;
  history: { status: "pending" } | { status: "error"; message: string } | { status: "ok"; prices: PriceDto[] };
  onSaveDetails: (values: ModelDetailsValues) => void;
  onSavePrice: (values: { inputPerMillion: number; outputPerMillion: number }) => void;
  detailsPending: boolean;
  pricePending: boolean;
  detailsError: { message: string; fieldErrors?: FieldErrors } | null;
  priceError: { message: string; fieldErrors?: FieldErrors } | null;
}) {
  const [tagsText, setTagsText] = useState(model.tags.join(", "));
  const local = model.providerKind === "local";
  const tags = parseTags(tagsText);
  const detailField = (k: string) => detailsError?.fieldErrors?.[k]?.[0] ?? (k === "tags" ? detailsError?.fieldErrors?.["tags.0"]?.[0] : undefined);
  const priceField = (k: string) => priceError?.fieldErrors?.[k]?.[0];

  function submitDetails(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const ctx = String(form.get("contextLength") ?? "").trim();
    onSaveDetails({
      displayName: String(form.get("displayName") ?? ""),
      tags,
      ...(local ? {} : { contextLength: ctx === "" ? null : Number(ctx) }),
    });
  }

  function submitPrice(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const num = (k: string) => {
      const raw = String(form.get(k) ?? "").trim();
      return raw === "" ? Number.NaN : Number(raw);
    };
    onSavePrice({ inputPerMillion: num("inputPerMillion"), outputPerMillion: num("outputPerMillion") });
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
      <form onSubmit={submitDetails} noValidate aria-label={`Details of ${model.displayName}`} className="space-y-3">
        <h3 className="text-sm font-semibold">Details</h3>
        {detailsError && !detailsError.fieldErrors ? <Alert tone="error">{detailsError.message}</Alert> : null}
        <TextField label="Display name" name="displayName" defaultValue={model.displayName === model.name ? "" : model.displayName} placeholder={model.name} error={detailField("displayName")} />
        {local ? null : (
          <TextField
            label="Context length (tokens)"
            name="contextLength"
            inputMode="numeric"
            defaultValue={model.contextLength ?? ""}
            placeholder="unknown"
            error={detailField("contextLength")}
          />
        )}
        <TextField
          label="Tags"
          name="tags"
          value={tagsText}
          onChange={(e) => setTagsText(e.target.value)}
          hint="Comma-separated, e.g. reasoning, fast."
          error={detailField("tags")}
        />
        <div className="flex flex-wrap gap-1.5" role="group" aria-label="Add a suggested tag">
          {SUGGESTED_TAGS.filter((t) => !tags.includes(t)).map((t) => (
            <button
              key={t}
              type="button"
              onClick={() => setTagsText([...tags, t].join(", "))}
              className="rounded border border-dashed border-zinc-300 px-2 py-0.5 text-xs text-zinc-600 hover:border-accent-500 hover:text-accent-700 dark:border-zinc-700 dark:text-zinc-400 dark:hover:text-accent-100"
            >
              + {t}
            </button>
          ))}
        </div>
        <div className="flex justify-end">
          <Button type="submit" size="sm" variant="secondary" disabled={detailsPending}>
            {detailsPending ? "Saving…" : "Save details"}
          </Button>
        </div>
      </form>

      <form onSubmit={submitPrice} noValidate aria-label={`Price of ${model.displayName}`} className="space-y-3">
        <h3 className="text-sm font-semibold">New price (US$ per million tokens)</h3>
        {priceError && !priceError.fieldErrors ? <Alert tone="error">{priceError.message}</Alert> : null}
        <div className="grid grid-cols-2 gap-3">
          {PRICE_FIELDS.map((f) => (
            <TextField key={f.name} label={f.label} name={f.name} inputMode="decimal" defaultValue={model.price?.[f.name] ?? ""} placeholder={f.placeholder} error={priceField(f.name)} />
          ))}
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Takes effect now. Earlier requests keep the price they were made at.
        </p>
        <div className="flex justify-end">
          <Button type="submit" size="sm" disabled={pricePending}>
            {pricePending ? "Saving…" : "Save price"}
          </Button>
        </div>
      </form>

      <section aria-label={`Price history of ${model.displayName}`} className="space-y-3">
        <h3 className="text-sm font-semibold">Price history</h3>
        {history.status === "pending" ? (
          <div className="space-y-2">
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-3/4" />
          </div>
        ) : history.status === "error" ? (
          <Alert tone="error">Could not load the history: {history.message}</Alert>
        ) : history.prices.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No price yet. Requests are recorded without a cost until one is set.</p>
        ) : (
          <ol className="space-y-1.5 text-sm">
            {history.prices.map((p, i) => (
              <li key={p.id} className="flex items-baseline justify-between gap-3">
                <span className={i === 0 ? "font-medium" : "text-zinc-500 dark:text-zinc-400"}>
                  {formatPerMillion(p.inputPerMillion)} in · {formatPerMillion(p.outputPerMillion)} out
                  {i === 0 ? <span className="ml-1.5 text-xs font-normal text-accent-700 dark:text-accent-100">current</span> : null}
                </span>
                <time dateTime={p.effectiveFrom} className="whitespace-nowrap font-mono text-xs text-zinc-500 dark:text-zinc-400">
                  {formatWhen(p.effectiveFrom)}
                </time>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
