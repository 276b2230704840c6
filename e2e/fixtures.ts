// Shared helpers for the end-to-end suite: accounts, sign-in, and calling a server action directly.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "ada@kindling.test", password: "first-admin-pass" };
export const VIEWER = { name: "Vic Viewer", email: "vic@kindling.test", password: "viewer-pass-123" };

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Signs in as ADMIN, creating the first admin when the console is still at first-run setup. */
export async function signInAsAdmin(page: Page) {
  await page.goto("/");
  if (!/\/setup$/.test(page.url())) return signIn(page, ADMIN);
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** The id Next.js gave a server action in this build, looked up by its file and export name. */
export function serverActionId(file: string, exportName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportName);
  if (!entry) throw new Error(`No server action ${exportName} in ${file} in this build`);
  return entry[0];
}

/**
 * Calls a server action the way a hand-made request would, bypassing the UI entirely,
 * and returns the raw response body (React's flight format, which carries the action's result).
 */
export async function callServerAction(request: APIRequestContext, pagePath: string, id: string, args: unknown[]) {
  const response = await request.post(pagePath, {
    headers: { "Next-Action": id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
  return { status: response.status(), body: await response.text() };
}

/**
 * With E2E_SCREENSHOTS=<dir> (as in responsive.spec.ts), saves the whole page at 1440 px in the light
 * and the dark theme for a person to look at; otherwise does nothing. The theme is the `dark` class on
 * <html>, which is what app/theme-script.tsx and the theme toggle set.
 */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1440, height: 900 });
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => document.documentElement.classList.toggle("dark", t === "dark"), theme);
    await page.screenshot({ path: path.join(dir, `${name}-${theme}.png`), fullPage: true, animations: "disabled" });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  if (before) await page.setViewportSize(before);
}
