import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signInAsAdmin } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR;


/** Screenshots for review, both themes and two widths, when E2E_SHOTS_DIR is set. */
async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle("dark", t === "dark"), theme);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/${name}-${theme}-${width}.png`, fullPage: true });
    }
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.setViewportSize({ width: 1280, height: 900 });
}

// Not passing yet (first full run 2026-12-02): the run finishes and draws its point, but the
// per-model table assertions fail. Issue 13 stays open until this passes.
test.describe.fixme("evals and charts", () => {
  test("a suite from the sample dataset with two graders, run on two local models, drawn and exported", async ({ page }) => {
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
    const perModel = page.locator("section, div").filter({ has: page.getByRole("heading", { name: "Per model" }) }).last();
    await expect(perModel.getByRole("rowheader")).toHaveCount(2);
    await expect(page.locator(".recharts-scatter-symbol")).toHaveCount(2);
    await expect(page.locator(".recharts-scatter").first()).toBeVisible();

    // Clicking a point lists that model's cases.
    await page.locator(".recharts-scatter-symbol").first().click();
    await expect(page.getByRole("heading", { name: /^Cases answered by / })).toBeVisible();
    const casesTable = page.locator("table").last();
    await expect(casesTable.locator("tbody tr")).toHaveCount(4);
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
    await shoot(page, "eval-run");
    await page.goto("/evals");
    await expect(page.getByRole("link", { name: "CSV extraction sample" })).toBeVisible();
    await shoot(page, "evals");
  });

  test("/charts shows the eval's calls from the rollups, with a table and the requests behind a bar", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto("/charts");
    // The rollup service runs every few seconds; the page refreshes itself every 30 s, so reload until counted.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole("rowheader", { name: "kindling-starter" })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    const starterRow = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "kindling-starter" }) });
    await expect(starterRow.getByRole("cell").first()).toHaveText("4");
    await page.getByRole("group", { name: "Requests and errors: view" }).getByRole("button", { name: "Table" }).click();
    await expect(page.getByRole("columnheader", { name: "Succeeded" })).toBeVisible();
    await page.getByRole("group", { name: "Requests and errors: view" }).getByRole("button", { name: "Chart" }).click();
    await page.locator(".recharts-bar-rectangle path").first().click();
    await expect(page.getByRole("heading", { name: /^Requests behind / })).toBeVisible();
    await expect(page.getByRole("cell", { name: "eval" }).first()).toBeVisible();
    await shoot(page, "charts");
  });
});
