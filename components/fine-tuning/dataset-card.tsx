import { LengthHistogramChart } from "@/components/charts/length-histogram-chart";
import { Card, CardHeader } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import type { DatasetDto } from "@/lib/fine-tuning/query-options";
import { bytes, int, pct } from "./format";

export function DatasetCard({ dataset }: { dataset: DatasetDto }) {
  const s = dataset.stats;
  // A named region, so a list of cards reads (and is found) by dataset name.
  return (
    <Card role="region" aria-label={dataset.name}>
      <CardHeader
        title={dataset.name}
        description={`${dataset.format.toUpperCase()}, ${bytes(dataset.sizeBytes)}, sha256 ${dataset.contentSha256.slice(0, 12)}..., checked against a context of ${s.contextLength} tokens`}
      />
      <div className="grid gap-6 p-5 lg:grid-cols-2">
        {/* min-w-0: a grid item is otherwise as wide as its longest unbreakable word (a 400-character
            token in a preview made the page 3,272 px wide on a phone). */}
        <div className="min-w-0 space-y-4">
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
            <Stat label="Examples" value={int(dataset.examples)} />
            <Stat label="Train / validation" value={`${int(dataset.trainExamples)} / ${int(dataset.validationExamples)}`} />
            <Stat label="Tokens" value={int(dataset.tokens)} />
            <Stat label="Assistant tokens (learned)" value={pct(s.assistantShare)} />
            <Stat label="Length min / mean / max" value={`${s.minTokens} / ${Math.round(s.meanTokens)} / ${s.maxTokens}`} />
            <Stat label="With system prompt" value={int(s.withSystem)} />
          </dl>
          <div>
            <h3 className="mb-1 text-sm font-medium">Length in tokens</h3>
            <LengthHistogramChart bins={s.histogram} />
          </div>
        </div>
        <div className="min-w-0">
          <h3 className="mb-2 text-sm font-medium">Preview</h3>
          <ol className="space-y-3 text-sm">
            {dataset.preview.map((messages, i) => (
              <li key={i} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
                {messages.map((m, j) => (
                  <p key={j} className="[overflow-wrap:anywhere]">
                    <span className="mr-2 text-xs font-semibold uppercase text-zinc-500">{m.role}</span>
                    {m.content}
                  </p>
                ))}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </Card>
  );
}
