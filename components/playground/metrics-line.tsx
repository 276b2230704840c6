import type { CallMetrics } from "@/lib/inference/events";

function ms(value: number | null): string {
  if (value === null) return "—";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

export function formatCost(usd: number | null): string {
  if (usd === null) return "no price set";
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toPrecision(3)}` : `$${usd.toFixed(4)}`;
}

/** The measured numbers under an answer; every one comes from the server's measurement of this call. */
export function MetricsLine({ metrics }: { metrics: CallMetrics }) {
  const items: Array<[string, string, string]> = [
    ["TTFT", ms(metrics.ttftMs), "Time to first token: from sending the request to the first content the provider streamed back"],
    ["tok/s", metrics.tokensPerSecond === null ? "—" : metrics.tokensPerSecond.toFixed(1), "Output tokens per second after the first token"],
    ["total", ms(metrics.totalMs), "Total time of the call"],
    ["in", metrics.inputTokens === null ? "—" : String(metrics.inputTokens), "Input (prompt) tokens, as the provider counted them"],
    ["out", metrics.outputTokens === null ? "—" : String(metrics.outputTokens), "Output tokens, as the provider counted them"],
    ["cost", formatCost(metrics.costUsd), "Tokens times the model's price per million at the time of the call"],
    ["finish", metrics.finishReason ?? "—", "Why the model stopped"],
  ];
  return (
    <dl aria-label="Answer metrics" className="mt-2 flex flex-wrap gap-x-3 gap-y-1 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
      {items.map(([label, value, title]) => (
        <div key={label} className="flex gap-1" title={title}>
          <dt>{label}</dt>
          <dd className="text-zinc-800 dark:text-zinc-200" data-metric={label}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
