import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn } from "./fixtures";

// Runs after accounts.spec.ts, which creates ADMIN. Trains the real starter model on a slice of the
// sample dataset through the queue (the machine is shared, so the slice is small).
const SAMPLE = path.resolve("assets/starter/finetune-csv.train.jsonl");
const slice = readFileSync(SAMPLE, "utf8").trim().split("\n").slice(0, 100).join("\n") + "\n";
const broken = [
  JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] }),
  "{this is not json",
  JSON.stringify({ messages: [{ role: "wizard", content: "x" }, { role: "assistant", content: "y" }] }),
  JSON.stringify({ messages: [{ role: "user", content: "no answer here" }] }),
].join("\n");

/** With E2E_SCREENSHOTS=<dir>, saves the page as it is now in both themes, for a person to look at. */
async function shoot(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  const width = page.viewportSize()?.width ?? 0;
  await page.mouse.move(0, 0); // no chart tooltip left open where the last click was
  // The theme script reads the colour scheme once, at load; the theme toggle flips this class the same way.
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), theme === "dark");
    // "disabled" ends colour transitions at once, so no control is caught half-way between themes.
    await page.screenshot({ path: path.join(dir, `${name}-${width}-${theme}.png`), fullPage: true, animations: "disabled" });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
}

// The width the screenshots are taken at (issue 9 asks for 1440 and 390 px).
test.use({ viewport: { width: 1440, height: 900 } });

async function upload(page: Page, name: string, fileName: string, content: string) {
  await page.getByLabel("File").setInputFiles({ name: fileName, mimeType: "application/jsonl", buffer: Buffer.from(content) });
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Upload and check" }).click();
}

test("datasets: a broken file's lines are named; the sample's statistics are shown", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/fine-tuning/datasets");
  await upload(page, "broken", "broken.jsonl", broken);
  await expect(page.getByRole("alert").filter({ hasText: "broken.jsonl" })).toContainText("broken.jsonl was not stored: 3 bad lines");
  const lines = page.getByRole("list", { name: "Bad lines" });
  await expect(lines).toContainText("line 2: not JSON");
  await expect(lines).toContainText(`line 3: messages[0] has the unknown role "wizard"`);
  await expect(lines).toContainText("line 4: no assistant turn");
  await shoot(page, "datasets-broken");

  await upload(page, "csv sample", "finetune-csv.jsonl", slice);
  await expect(page.getByText(`Stored "csv sample": 100 examples.`)).toBeVisible();
  const card = page.getByRole("region", { name: "csv sample" });
  await expect(card.getByText("90 / 10")).toBeVisible();
  await expect(card.getByRole("img", { name: "Examples by length in tokens" })).toBeVisible();
  await expect(card.getByText("Amara,Berlin,43")).toBeVisible();
  await shoot(page, "datasets");
});

// The defaults on the 90 training examples make 12 steps (the estimate step says so too). Measured on 2 cores shared with two other
// suites (load 15-18): about 2.5 min compiling the matmul kernel on a worktree's first training run,
// 30 s training, 40 s for the before/after check; 10 minutes leaves room for a busier machine.
test("the wizard with its defaults launches a job that succeeds with a loss curve from stored points", async ({ page }) => {
  test.setTimeout(600_000);
  await signIn(page, ADMIN);
  await page.goto("/fine-tuning/new");
  // Anchored: a fine-tuned model made by an earlier spec (ft-kindling-starter-...) is a base too.
  await page.getByRole("radio", { name: /^kindling-starter\s/ }).check();
  await shoot(page, "wizard-1-base");
  await page.getByRole("button", { name: "Next" }).click();
  // The count is the starter's own byte tokens, the figure the datasets page showed for this slice.
  await page.getByLabel("Training dataset").selectOption({ label: "csv sample (100 examples, 9,335 tokens)" });
  await shoot(page, "wizard-2-dataset");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByLabel("Epochs")).toHaveValue("2");
  await expect(page.getByLabel("Learning rate")).toHaveValue("0.001");
  await expect(page.getByText("Recommended")).toBeVisible();
  await shoot(page, "wizard-3-method");
  // Going back keeps what was entered.
  await page.getByLabel("Epochs").fill("3");
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByLabel("Epochs")).toHaveValue("3");
  await page.getByLabel("Epochs").fill("2");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/tokens\/s/)).toBeVisible();
  await expect(page.getByText("$0.00 (runs on this machine)")).toBeVisible();
  // The estimate counts steps as the trainer does: the job below must take exactly this many.
  const estimatedSteps = Number((await page.getByText(/^\d+ \(examples packed into rows of 256 tokens, 8 rows a step\)$/).textContent())!.split(" ")[0]);
  expect(estimatedSteps).toBeGreaterThan(0);
  await shoot(page, "wizard-4-estimate");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Full fine-tuning")).toBeVisible();
  await shoot(page, "wizard-5-review");
  await page.getByRole("button", { name: "Launch fine-tune" }).click();

  await expect(page).toHaveURL(/\/fine-tuning\/jobs\/ftjob-/);
  const jobId = page.url().split("/").pop()!;
  await expect(page.getByRole("progressbar", { name: "Training progress" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Loss curve over \d+ steps/ })).toBeVisible({ timeout: 300_000 });
  await shoot(page, "job-running");
  await expect(page.getByText("Succeeded", { exact: true })).toBeVisible({ timeout: 480_000 });

  const detail = await (await page.request.get(`/api/fine-tuning/jobs/${jobId}`)).json();
  const steps = detail.job.progress.totalSteps as number;
  expect(steps).toBe(estimatedSteps);
  expect(detail.points.map((p: { step: number }) => p.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  await expect(page.getByRole("img", { name: `Loss curve over ${steps} steps` })).toBeVisible();
  await expect(page.getByText(/Registered as ft-kindling-starter-/)).toBeVisible();
  await expect(page.getByText(/Before and after, on 10 validation examples/)).toBeVisible();
  await shoot(page, "job-finished");

  await page.goto("/fine-tuning");
  // Found by its link (earlier specs leave other ft-kindling-starter-... jobs in the list).
  await expect(page.locator(`a[href="/fine-tuning/jobs/${jobId}"]`)).toHaveText(new RegExp(`^ft-kindling-starter-${jobId.slice(6, 12)}$`));
  await shoot(page, "jobs");
  await page.goBack();

  // "Deploy" (admins) opens the new-deployment form with the fine-tuned model chosen.
  await page.getByRole("link", { name: "Deploy", exact: true }).click();
  await expect(page).toHaveURL(/\/deployments\/new\?model=/);
  await expect(page.getByLabel("Base model").locator("option:checked")).toHaveText(/^ft-kindling-starter-/);
  await page.goBack();

  await page.getByRole("link", { name: "Compare in playground" }).click();
  await expect(page).toHaveURL(/\/playground\?model=.*&compare=/);
  // Side by side: the base in the first panel, the fine-tuned model in the second.
  await expect(page.getByLabel("Model for panel 1").locator("option:checked")).toHaveText(/^kindling-starter\b/);
  await expect(page.getByLabel("Model for panel 2").locator("option:checked")).toHaveText(/^ft-kindling-starter-/);
  // Both greedy, on a task from the validation file: the fine-tuned weights answer otherwise than the base's.
  for (const n of [1, 2]) {
    await page.getByRole("button", { name: `Settings for panel ${n}` }).click();
    await page.getByRole("region", { name: `Panel ${n}` }).getByLabel("Temperature value").fill("0");
    await page.getByRole("button", { name: `Settings for panel ${n}` }).click();
  }
  await page.getByLabel("Message").fill("Extract the name, city and age as CSV: Noah (19) moved to Quito last year.");
  await page.getByLabel("Message").press("Control+Enter");
  const answers = [1, 2].map((n) => page.getByRole("region", { name: `Panel ${n}` }).getByTestId("answer"));
  for (const n of [1, 2]) await expect(page.getByRole("region", { name: `Panel ${n}` }).getByLabel("Answer metrics")).toBeVisible({ timeout: 120_000 });
  const [base, tuned] = await Promise.all(answers.map((a) => a.textContent()));
  expect(base?.trim()).toBeTruthy();
  expect(tuned?.trim(), `base answered ${base}`).not.toBe(base?.trim());
  await shoot(page, "compare-in-playground");
});

// Narrowed from 1280 px on the page itself (a chart that kept its wide size would hold the page wide);
// on failure the message names the elements that reach past the right edge.
test("a finished job reads on a phone without scrolling sideways", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/fine-tuning");
  await page.getByRole("link", { name: /^ft-kindling-starter-/ }).first().click();
  await expect(page).toHaveURL(/\/fine-tuning\/jobs\//);
  await expect(page.getByRole("heading", { name: "Loss" })).toBeVisible();
  await expect(page.getByText("Succeeded", { exact: true })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = () =>
    page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const wide = Array.from(document.querySelectorAll("body *")).filter(
        (el) => el.getBoundingClientRect().right > w + 1 && !Array.from(el.children).some((c) => c.getBoundingClientRect().right > w + 1),
      );
      return { by: document.documentElement.scrollWidth - w, elements: wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${String((el as HTMLElement).className).slice(0, 60)} (right ${Math.round(el.getBoundingClientRect().right)} px)`) };
    });
  // scrollWidth never falls below the viewport: 0 means nothing reaches past the edge.
  await expect.poll(overflow).toEqual({ by: 0, elements: [] });
});
