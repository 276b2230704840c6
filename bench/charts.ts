// Benchmark of the /charts queries at volume, in one run on a database of its own:
// 1. loads N usage rows spread over 30 days, set-based (generate_series in chunks), 8 models, 6 keys,
//    3 sources, 2% errors, a long-tailed time to first token;
// 2. rolls them up with the rollup service's own function and reports the catch-up rate (rows/s);
// 3. times what the page reads (getUsageChartData: series, budgets, filter values) over 24 h, 7 d
//    and 30 d, unfiltered and filtered to one model: p50/p95 of --runs repeats after two warm-ups;
// 4. with --lcp 1 (PostgreSQL only): starts the built console on that database and measures the
//    /charts page's largest contentful paint in Chromium, signed in, --lcp-runs times.
// Usage: npm run bench:charts -- --backend postgres|pglite [--rows N] [--runs 20] [--lcp 1]
// Defaults: 10,000,000 rows on PostgreSQL (TEST_DATABASE_URL's server), 1,000,000 on PGlite.
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, type DbHandle } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { createEmptyPostgresDatabase } from "@/db/test-postgres";
import { getUsageChartData } from "@/lib/charts/usage-data";
import { chartQuerySchema } from "@/lib/charts/schemas";
import { catchUpRollups } from "@/lib/metering/rollups";
import { startBenchConsole } from "./console";
import { flag, quantile } from "./stats";

const backend = process.argv.includes("--backend") ? process.argv[process.argv.indexOf("--backend") + 1] : "postgres";
if (backend !== "postgres" && backend !== "pglite") throw new Error("--backend is postgres or pglite");
const ROWS = flag("rows", backend === "postgres" ? 10_000_000 : 1_000_000);
const RUNS = flag("runs", 20);
const LCP = flag("lcp", 0) === 1;
const LCP_RUNS = flag("lcp-runs", 5);
const PORT = flag("port", 3570);
const CHUNK = 500_000;
const DAY_S = 86_400;

function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

/** Rows [lo, hi] of the synthetic traffic; `at` spreads row ids evenly over the 30 days before `now`. */
async function loadChunk(handle: DbHandle, lo: number, hi: number, now: Date): Promise<void> {
  await handle.db.execute(sql`
    insert into usage_events (request_id, at, source, api_key_id, provider_name, model_name, input_tokens, output_tokens, ttft_ms, total_ms, cost_usd, status)
    select 'bench-' || g,
      ${now.toISOString()}::timestamptz - make_interval(secs => ${30 * DAY_S}::float8 * (${ROWS}::float8 - g) / ${ROWS}::float8),
      (array['api', 'api', 'api', 'playground', 'eval'])[1 + g % 5],
      case when g % 5 = 3 then null else 'key-' || (g % 6) end,
      (array['Local engine', 'Local engine', 'Fireworks', 'Together'])[1 + g % 4],
      (array['kindling-starter', 'tiny-a', 'llama-3.1-8b', 'qwen2.5-7b', 'mixtral-8x7b', 'deepseek-v3', 'gpt-oss-20b', 'phi-4'])[1 + g % 8],
      20 + (g * 7919) % 400,
      5 + (g * 104729) % 300,
      case when g % 50 = 0 then null else 30 + 2000 * power(((g * 2654435761) % 1000003) / 1000003.0, 3) end,
      200 + (g * 7919) % 3000,
      ((g % 300) * 0.0000021)::numeric(18, 10),
      case when g % 50 = 0 then 'error' else 'ok' end
    from generate_series(${lo}::bigint, ${hi}::bigint) as g`);
}

async function timeQueries(handle: DbHandle, now: Date): Promise<void> {
  for (const range of ["24h", "7d", "30d"] as const) {
    for (const model of [undefined, "qwen2.5-7b"]) {
      const q = chartQuerySchema.parse({ range, ...(model ? { model: [model] } : {}) });
      for (let i = 0; i < 2; i++) await getUsageChartData(handle.db, q, now);
      const times: number[] = [];
      let points = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const data = await getUsageChartData(handle.db, q, now);
        times.push(performance.now() - t);
        points = data.rows.length;
      }
      const target = backend === "postgres" ? 300 : 500;
      const p95 = quantile(times, 0.95);
      console.log(
        `${range.padEnd(4)} ${(model ? `model=${model}` : "all models").padEnd(22)} ${String(points).padStart(5)} points  p50 ${ms(quantile(times, 0.5)).padStart(9)}  p95 ${ms(p95).padStart(9)}  max ${ms(Math.max(...times)).padStart(9)}  (target p95 <= ${target} ms: ${p95 <= target ? "met" : "NOT met"})`,
      );
    }
  }
}

/** Largest contentful paint of /charts, signed in, in Debian's Chromium. */
async function measureLcp(url: string): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "kindling-bench-charts-"));
  const console_ = await startBenchConsole({ port: PORT, dataDir, env: { DATABASE_URL: url } });
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const [name, value] = console_.cookie.split("; ")[0].split("=");
    const lcps: number[] = [];
    for (let i = 0; i < LCP_RUNS + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addCookies([{ name, value, url: console_.base }]);
      const page = await context.newPage();
      await page.goto(`${console_.base}/charts`, { waitUntil: "load" });
      await page.getByRole("heading", { name: /Charts/ }).first().waitFor();
      const lcp = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const entries = list.getEntries();
              resolve(entries[entries.length - 1].startTime);
            }).observe({ type: "largest-contentful-paint", buffered: true });
          }),
      );
      await context.close();
      if (i > 0) lcps.push(lcp); // the first load warms the server's caches
    }
    console.log(`/charts largest contentful paint over ${LCP_RUNS} loads: p50 ${ms(quantile(lcps, 0.5))}, max ${ms(Math.max(...lcps))} (target <= 1500 ms: ${quantile(lcps, 0.5) <= 1500 ? "met" : "NOT met"})`);
  } finally {
    await browser.close();
    await console_.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let dropPostgres: (() => Promise<void>) | null = null;
  let pgliteDir: string | null = null;
  let url = "";
  let handle: DbHandle;
  if (backend === "postgres") {
    const created = await createEmptyPostgresDatabase();
    dropPostgres = created.drop;
    url = created.url;
    handle = await openDatabase({ kind: "postgres", url });
  } else {
    pgliteDir = await mkdtemp(path.join(tmpdir(), "kindling-bench-charts-pglite-"));
    handle = await openDatabase({ kind: "pglite", dir: pgliteDir });
  }
  try {
    console.log(`${backend}: ${ROWS.toLocaleString("en")} usage rows over 30 days; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`);
    const now = new Date();
    let t = performance.now();
    for (let lo = 1; lo <= ROWS; lo += CHUNK) await loadChunk(handle, lo, Math.min(ROWS, lo + CHUNK - 1), now);
    if (backend === "postgres") await handle.db.execute(sql`analyze usage_events`);
    console.log(`loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const rolled = await catchUpRollups(handle.db, { batch: 50_000 });
    const seconds = (performance.now() - t) / 1000;
    if (backend === "postgres") await handle.db.execute(sql`analyze usage_rollups`);
    const [{ n }] = rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from usage_rollups`));
    console.log(`rollup catch-up: ${rolled.toLocaleString("en")} rows in ${seconds.toFixed(1)} s = ${Math.round(rolled / seconds).toLocaleString("en")} rows/s (${Number(n ?? 0).toLocaleString("en")} rollup rows)`);

    await timeQueries(handle, now);
    if (LCP) {
      if (backend !== "postgres") throw new Error("--lcp needs --backend postgres (the console opens the same database)");
      await handle.close();
      await measureLcp(url);
      handle = await openDatabase({ kind: "postgres", url });
    }
  } finally {
    await handle.close();
    await dropPostgres?.();
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
