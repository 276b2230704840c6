import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, callServerAction, serverActionId, signIn, signOut, VIEWER } from "./fixtures";

async function expectNoA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe.serial("accounts and roles", () => {
  test("the first visit asks for the first admin, then opens the console", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Welcome to Kindling" })).toBeVisible();
    await expectNoA11yViolations(page);

    // A mismatched confirmation is explained on the field, and nothing is created.
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Confirm password").fill("something else");
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page.getByText("The passwords do not match.")).toBeVisible();

    await page.getByLabel("Confirm password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page).toHaveURL(/\/playground$/);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const item of ["Playground", "Deployments", "Fine-tuning", "Evals", "Charts", "Models", "Settings"]) {
      await expect(nav.getByRole("link", { name: item })).toBeVisible();
    }
    await expect(page.getByRole("heading", { name: "Playground" })).toBeVisible();
    await expect(page.getByText(ADMIN.email)).toBeVisible();

    // Setup cannot run twice.
    await page.goto("/setup");
    await expect(page).not.toHaveURL(/\/setup$/);
  });

  test("sign out, then a wrong password gets a clear message and an audit row", async ({ page }) => {
    await signIn(page, ADMIN);
    await signOut(page);
    await page.goto("/playground");
    await expect(page).toHaveURL(/\/login$/);

    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
    await expectNoA11yViolations(page);

    // A client cannot choose the address that rate limits count by sending X-Forwarded-For.
    const signInId = serverActionId("app/(auth)/actions.ts", "signInAction");
    const spoofed = await page.request.post("/login", {
      headers: { "Next-Action": signInId, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", "X-Forwarded-For": "203.0.113.99" },
      data: JSON.stringify([{ email: "spoof@kindling.test", password: "wrong" }]),
    });
    expect(await spoofed.text()).toContain('"code":"UNAUTHENTICATED"');

    await signIn(page, ADMIN);
    await page.goto("/settings/audit");
    const spoofRow = page.getByRole("row").filter({ hasText: "spoof@kindling.test" });
    await expect(spoofRow).toHaveCount(1);
    await expect(spoofRow).not.toContainText("203.0.113.99");
    await expect(spoofRow).toContainText("127.0.0.1");
    const failed = page.getByRole("row").filter({ hasText: "Failed sign-in" }).filter({ hasText: ADMIN.email });
    await expect(failed).toHaveCount(1);
    await expect(page.getByRole("row").filter({ hasText: "Signed out" })).toHaveCount(1);
  });

  test("an admin adds a viewer", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/settings/members");
    const form = page.getByRole("form", { name: "Add a member" });
    await form.getByLabel("Name").fill(VIEWER.name);
    await form.getByLabel("Email").fill(VIEWER.email);
    await form.getByLabel("Temporary password").fill(VIEWER.password);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByText(`Added ${VIEWER.email} as viewer.`)).toBeVisible();
    await expect(page.getByLabel(`Role of ${VIEWER.email}`)).toHaveValue("viewer");
    await expectNoA11yViolations(page);

    // The same email twice is refused on the email field.
    await form.getByLabel("Name").fill("Again");
    await form.getByLabel("Email").fill(VIEWER.email);
    await form.getByLabel("Temporary password").fill(VIEWER.password);
    await form.getByRole("button", { name: "Add member" }).click();
    await expect(form.getByText("A member with this email already exists.").first()).toBeVisible();
  });

  test("a viewer cannot open admin pages or call admin actions directly", async ({ page, browser }) => {
    await signIn(page, VIEWER);
    await expect(page.getByText("viewer", { exact: true })).toBeVisible();

    for (const adminPage of ["/settings/members", "/settings/audit", "/settings/providers"]) {
      await page.goto(adminPage);
      await expect(page.getByRole("heading", { name: "You don't have access to that page" })).toBeVisible();
    }
    await page.goto("/settings");
    await expect(page.getByRole("link", { name: /Members/ })).toHaveCount(0);

    const api = await page.request.get("/api/members");
    expect(api.status()).toBe(403);

    // A hand-made call of the admin-only action, promoting themselves: refused, nothing changes.
    const changeRole = serverActionId("app/(console)/settings/members/actions.ts", "changeRoleAction");
    const members = (await (await browserAdminRequest(browser)).get("/api/members")).json() as Promise<Array<{ id: string; email: string; role: string }>>;
    const viewerId = (await members).find((m) => m.email === VIEWER.email)!.id;
    const call = await callServerAction(page.request, "/settings/members", changeRole, [{ userId: viewerId, role: "admin" }]);
    expect(call.body).toContain('{"ok":false,"code":"FORBIDDEN"');
    expect(call.body).not.toContain('"ok":true');

    const addMember = serverActionId("app/(console)/settings/members/actions.ts", "addMemberAction");
    const add = await callServerAction(page.request, "/settings/members", addMember, [
      { name: "Sneaky", email: "sneaky@kindling.test", password: "sneaky-pass", role: "admin" },
    ]);
    expect(add.body).toContain('{"ok":false,"code":"FORBIDDEN"');

    // Signed out entirely, the same call is refused as unauthenticated.
    const anonymous = await browser.newContext();
    const anon = await callServerAction(anonymous.request, "/settings/members", changeRole, [{ userId: viewerId, role: "admin" }]);
    expect(anon.body).toContain('{"ok":false,"code":"UNAUTHENTICATED"');
    await anonymous.close();

    const after = (await (await (await browserAdminRequest(browser)).get("/api/members")).json()) as Array<{ email: string; role: string }>;
    expect(after.find((m) => m.email === VIEWER.email)?.role).toBe("viewer");
    expect(after.map((m) => m.email)).not.toContain("sneaky@kindling.test");
  });
});

/** An API client signed in as the admin, in its own browser context. */
async function browserAdminRequest(browser: import("@playwright/test").Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, ADMIN);
  return context.request;
}
