import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { screenshot, signInAsAdmin } from "./fixtures";
import { createKey } from "./openai-client";

const root = path.resolve(import.meta.dirname, "..");

/** `npm run eval` as CI runs it, against this console (`--url`), with an API key. */
function evalCli(args: string[]) {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "lib/evals/cli.ts", ...args], { cwd: root, encoding: "utf8", timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The quality the starter model must keep on its CI suite, as its README states it. */
function starterMinQuality(): string {
  const m = /<!-- ci:min-quality ([\d.]+) -->/.exec(readFileSync(path.join(root, "assets/starter/README.md"), "utf8"));
  expect(m, "assets/starter/README.md states the CI figure").not.toBeNull();
  return m![1];
}

test.describe("evals and charts", () => {
  test("a suite from the sample dataset with two graders, run on two local models, drawn and exported", async ({ page }) => {
    // Measured here: 8 answers on two local engines (loading included) take 60-100 s on the busy
    // 2-core machine; the whole test about 100 s.
    test.setTimeout(240_000);
    await signInAsAdmin(page);
    await page.goto("/evals");
    await page.getByLabel("Name").fill("CSV extraction sample");
    await page.getByLabel("Use the first N cases").fill("4");
    await expect(page.getByLabel("Exact match")).toBeChecked();
    await expect(page.getByLabel("Normalised match")).toBeChecked();
    await page.getByRole("button", { name: "Save suite" }).click();
    await expect(page.getByText("Suite saved with 4 cases.")).toBeVisible();

    await page.getByLabel(/kindling-starter/).check();
    await page.getByLabel(/tiny-a/).check();
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/evals\/runs\//);
    await expect(page.getByRole("status").filter({ hasText: "done · 8 of 8 answers graded" })).toBeVisible({ timeout: 180_000 });

    // Both models are points; the frontier series is drawn; the per-model table has both.
    const perModel = page.getByRole("table", { name: "Per model" });
    await expect(perModel.getByRole("rowheader")).toHaveCount(2);
    await expect(page.locator(".recharts-scatter-symbol")).toHaveCount(2);
    await expect(page.locator(".recharts-scatter").first()).toBeVisible();

    // Clicking a point lists that model's cases. Points of equal quality and cost coincide (both
    // models score 0 on this sample before fine-tuning), so the one clicked is the one drawn on top.
    await page.locator(".recharts-scatter-symbol").last().click();
    await expect(page.getByRole("heading", { name: /^Cases answered by (kindling-starter|tiny-a)$/ })).toBeVisible();
    const casesTable = page.getByRole("table", { name: /^Cases answered by / });
    await expect(casesTable.getByRole("row")).toHaveCount(1 + 4);
    await expect(casesTable.getByRole("columnheader")).toHaveCount(3 + 1);
    await page.getByRole("button", { name: "Show all models" }).click();
    await expect(page.getByRole("table", { name: "Cases side by side" }).getByRole("columnheader")).toHaveCount(3 + 2);
    // A model's name in the table selects it too, whether or not its point is hidden under another.
    await perModel.getByRole("button", { name: "tiny-a" }).click();
    await expect(page.getByRole("heading", { name: "Cases answered by tiny-a" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Cases answered by tiny-a" }).getByRole("row")).toHaveCount(1 + 4);
    await page.getByRole("button", { name: "Show all models" }).click();

    // The CSV holds the rows of the table.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "CSV" }).first().click();
    const csv = readFileSync((await (await download).path())!, "utf8").trim().split(/\r\n/);
    expect(csv[0]).toBe("model,cases,errors,quality,p50_ttft_ms,p95_ttft_ms,tokens_per_s,cost_usd,cost_per_1k_cases_usd");
    const tableRows = await perModel.getByRole("row").filter({ has: page.getByRole("rowheader") }).all();
    expect(csv).toHaveLength(1 + tableRows.length);
    for (const row of tableRows) {
      const cells = await row.locator("th, td").allInnerTexts();
      const line = csv.find((l) => l.startsWith(`${cells[0]},`));
      expect(line, `CSV row for ${cells[0]}`).toBeDefined();
      const f = line!.split(",");
      expect(f[1]).toBe(cells[1]);
      expect(f[2]).toBe(cells[2]);
      expect(Number(f[3]).toFixed(3)).toBe(cells[3]);
    }
    await screenshot(page, "eval-run");
    await page.goto("/evals");
    await expect(page.getByRole("link", { name: "CSV extraction sample" })).toBeVisible();
    await screenshot(page, "evals");
  });

  test("/charts shows the eval's calls from the rollups, with a table and the requests behind a bar", async ({ page }) => {
    // Up to 60 s waiting for the rollup below, then about 20 s of page work on the busy machine.
    test.setTimeout(120_000);
    await signInAsAdmin(page);
    await page.goto("/charts");
    // The rollup service runs every few seconds and may count the four calls in two ticks (the usage
    // queue writes them in batches); the page refreshes itself every 30 s, so reload until all four are.
    const starterRow = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "kindling-starter" }) });
    await expect(async () => {
      await page.reload();
      await expect(starterRow.getByRole("cell").first()).toHaveText("4", { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await page.getByRole("group", { name: "Requests and errors: view" }).getByRole("button", { name: "Table" }).click();
    await expect(page.getByRole("columnheader", { name: "Succeeded" })).toBeVisible();
    await page.getByRole("group", { name: "Requests and errors: view" }).getByRole("button", { name: "Chart" }).click();
    await page.locator(".recharts-bar-rectangle path").first().click();
    await expect(page.getByRole("heading", { name: /^Requests behind / })).toBeVisible();
    await expect(page.getByRole("cell", { name: "eval" }).first()).toBeVisible();
    await screenshot(page, "charts");
  });

  // Last in this file: its 100 calls would change the counts the /charts test above checks.
  test("npm run eval --url runs the starter's CI suite on this console and holds the README's figure", async ({ page }) => {
    // 100 short greedy answers from the starter: about 40 s on the busy 2-core machine.
    test.setTimeout(360_000);
    await signInAsAdmin(page);
    const key = await createKey(page, "ci eval");
    const url = new URL(page.url()).origin;
    const min = starterMinQuality();
    const ok = evalCli(["--url", `${url}/v1`, "--key", key, "--suite", "assets/starter/eval-suite.jsonl", "--models", "kindling-starter", "--max-tokens", "128", "--min-quality", min]);
    expect(ok.stderr).not.toContain("FAILED");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^model\s+cases\s+errors\s+quality/m);
    const row = /kindling-starter\s+100\s+0\s+([\d.]+)/.exec(ok.stdout);
    expect(row, ok.stdout).not.toBeNull();
    expect(Number(row![1])).toBeGreaterThanOrEqual(Number(min));

    // The run is stored on the console: its page shows it, and the suite can be named next time.
    const runId = /^run ([0-9a-f-]{36})/m.exec(ok.stderr)![1];
    const run = await (await page.request.get(`/api/v1/evals/runs/${runId}`, { headers: { authorization: `Bearer ${key}` } })).json();
    expect(run).toMatchObject({ object: "eval.run", status: "done", total: 100, done: 100 });
    expect(run.summary[0]).toMatchObject({ model: "kindling-starter", cases: 100, errors: 0 });
    await page.goto(`/evals/runs/${runId}`);
    await expect(page.getByRole("heading", { name: run.suite.name })).toBeVisible();

    // A threshold that cannot hold: exit 1, each failed one named. The stored suite by its name.
    const bad = evalCli(["--url", url, "--key", key, "--suite", run.suite.name, "--models", "kindling-starter", "--max-tokens", "64", "--min-quality", "1", "--max-p95-ttft-ms", "0.001"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/FAILED kindling-starter: quality [\d.]+ is below --min-quality 1/);
    expect(bad.stderr).toMatch(/FAILED kindling-starter: p95 time to first token [\d.]+ ms is above --max-p95-ttft-ms 0.001/);

    // A bad key: the console's 401 is named, exit 2.
    const refused = evalCli(["--url", url, "--key", "kdl_not-a-key", "--suite", run.suite.name, "--models", "kindling-starter"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("401");
  });
});
