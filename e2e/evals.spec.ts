import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { screenshot, signInAsAdmin } from "./fixtures";

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
    await screenshot(page, "charts");
  });
});
