// `npm run eval` arguments, parsed and checked (pure, so the messages are tested).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { GraderSpec } from "./graders";
import type { Thresholds } from "./summary";

export interface EvalCliOptions {
  suite: string;
  models: string[];
  grader: GraderSpec;
  url?: string;
  key?: string;
  concurrency: number;
  maxTokens: number;
  thresholds: Thresholds;
}

export const EVAL_USAGE = `Usage: npm run eval -- --suite <name | cases.jsonl | cases.csv> --models a,b
  [--grader exact|normalized|contains|numeric|regex|json-schema|judge] [--pattern <regex>] [--schema <file.json>]
  [--judge-model <name>] [--rubric <text>] [--tolerance <n>]
  [--min-quality 0.8] [--max-p95-ttft-ms 200] [--max-cost-per-1k 0.5] [--concurrency 2] [--max-tokens 256]
  [--url http://<kindling>:3000 --key <api key>]   (run on a running Kindling; the key defaults to $KINDLING_API_KEY)`;

function num(name: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number of at least ${min} (got ${v}).`);
  return n;
}

/** The console's base URL from `--url`: `http://host:3000`, also given as `.../v1` (the gateway's address). */
function baseUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`--url must be the console's address, like http://localhost:3000 (got ${v}).`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`--url must start with http:// or https:// (got ${v}).`);
  return `${u.origin}${u.pathname.replace(/\/+$/, "").replace(/\/v1$/, "")}`;
}

export function parseEvalArgs(argv: string[], env: { apiKey?: string } = {}): EvalCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: "string" },
      models: { type: "string" },
      grader: { type: "string", default: "exact" },
      pattern: { type: "string" },
      schema: { type: "string" },
      "judge-model": { type: "string" },
      rubric: { type: "string" },
      tolerance: { type: "string" },
      url: { type: "string" },
      key: { type: "string" },
      concurrency: { type: "string" },
      "max-tokens": { type: "string" },
      "min-quality": { type: "string" },
      "max-p95-ttft-ms": { type: "string" },
      "max-cost-per-1k": { type: "string" },
    },
  });
  if (!values.suite) throw new Error("--suite is required: a stored suite's name, or a .jsonl / .csv file of cases.");
  const models = (values.models ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (models.length === 0) throw new Error("--models is required: one or more model names, comma-separated.");
  let grader: GraderSpec;
  switch (values.grader) {
    case "exact":
    case "normalized":
      grader = { type: values.grader };
      break;
    case "contains":
      grader = { type: "contains", caseSensitive: false };
      break;
    case "numeric":
      grader = { type: "numeric", tolerance: num("tolerance", values.tolerance) ?? 0, relative: false };
      break;
    case "regex":
      if (!values.pattern) throw new Error("--grader regex needs --pattern <regex>.");
      try {
        new RegExp(values.pattern);
      } catch {
        throw new Error(`--pattern is not a valid regular expression: ${values.pattern}`);
      }
      grader = { type: "regex", pattern: values.pattern, flags: "" };
      break;
    case "json-schema": {
      if (!values.schema) throw new Error("--grader json-schema needs --schema <file.json>.");
      let schema: Record<string, unknown>;
      try {
        schema = JSON.parse(readFileSync(values.schema, "utf8"));
      } catch (error) {
        throw new Error(`--schema ${values.schema} could not be read as JSON: ${(error as Error).message}`);
      }
      grader = { type: "json-schema", schema };
      break;
    }
    case "judge":
      if (!values["judge-model"] || !values.rubric) throw new Error("--grader judge needs --judge-model <name> and --rubric <text>.");
      grader = { type: "judge", model: values["judge-model"], rubric: values.rubric };
      break;
    default:
      throw new Error(`--grader must be one of exact, normalized, contains, numeric, regex, json-schema, judge (got ${values.grader}).`);
  }
  const url = values.url === undefined ? undefined : baseUrl(values.url);
  const key = values.key ?? env.apiKey;
  if (url && !key) throw new Error("--url needs an API key: --key kdl_... or KINDLING_API_KEY (create one on /settings/api-keys).");
  if (!url && values.key) throw new Error("--key is only used with --url.");
  const minQuality = num("min-quality", values["min-quality"]);
  if (minQuality !== undefined && minQuality > 1) throw new Error("--min-quality is a fraction between 0 and 1.");
  return {
    suite: values.suite,
    models,
    grader,
    url,
    key: url ? key : undefined,
    concurrency: num("concurrency", values.concurrency, 1) ?? 2,
    maxTokens: num("max-tokens", values["max-tokens"], 1) ?? 256,
    thresholds: { minQuality, maxP95TtftMs: num("max-p95-ttft-ms", values["max-p95-ttft-ms"]), maxCostPer1k: num("max-cost-per-1k", values["max-cost-per-1k"]) },
  };
}
