import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn } from "./fixtures";

// Every page reads on a phone: nothing scrolls sideways at 390 px, and the navigation is a menu.
// Runs after accounts.spec.ts, which creates ADMIN. With E2E_SCREENSHOTS=dir it also saves each
// page at 390 and 1440 px in both themes, for a person to look at.
const PAGES = [
  "/playground",
  "/deployments",
  "/deployments/new",
  "/fine-tuning",
  "/fine-tuning/datasets",
  "/fine-tuning/new",
  "/evals",
  "/charts",
  "/models",
  "/settings",
  "/settings/providers",
  "/settings/members",
  "/settings/api-keys",
  "/settings/audit",
  "/forbidden",
];

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const PHONE = { width: 390, height: 844 };

/** signIn() waits for the sidebar, which only desktops show: sign in wide, then narrow the window. */
async function signInThenNarrow(page: Page, width: number) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN);
  await page.setViewportSize({ width, height: width === PHONE.width ? PHONE.height : 900 });
}

test.describe("small screens", () => {
  test("the navigation collapses into a menu that opens, navigates and closes", async ({ page }) => {
    await signInThenNarrow(page, PHONE.width);
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toBeVisible();
    await menu.click();
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Models" }).click();
    await expect(page).toHaveURL(/\/models$/);
    await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
    await expect(nav).toBeHidden();
    await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
  });

  test("no page scrolls sideways at 390 px", async ({ page }) => {
    test.setTimeout(360_000); // fifteen server-rendered pages on a shared machine
    await page.setViewportSize(PHONE);
    await page.goto("/login");
    expect(await sidewaysOverflow(page), "/login").toBeLessThanOrEqual(0);
    await signInThenNarrow(page, PHONE.width);
    const wide: string[] = [];
    for (const url of PAGES) {
      await page.goto(url);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // An error page has a heading too: a page that failed to render has not been checked.
      await expect(page.getByText(/could not be loaded/), url).toHaveCount(0);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) wide.push(`${url}: ${overflow}px too wide`);
    }
    expect(wide).toEqual([]);
  });
});

test("screenshots of every page at 390 and 1440 px, light and dark", async ({ browser }) => {
  const dir = process.env.E2E_SCREENSHOTS;
  test.skip(!dir, "set E2E_SCREENSHOTS=<dir> to save them");
  test.setTimeout(600_000);
  mkdirSync(dir!, { recursive: true });
  for (const theme of ["light", "dark"] as const) {
    for (const width of [390, 1440]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
      const page = await context.newPage();
      await page.goto("/login");
      await page.screenshot({ path: path.join(dir!, `login-${width}-${theme}.png`), fullPage: true });
      await signInThenNarrow(page, width);
      for (const url of PAGES) {
        await page.goto(url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await page.screenshot({ path: path.join(dir!, `${url.slice(1).replace(/\//g, "-")}-${width}-${theme}.png`), fullPage: true });
      }
      await context.close();
    }
  }
});
