// What the specs that drive /v1 with the official `openai` client share: a key made on
// /settings/api-keys the way a member makes one, a client for this console, and the APIError a call
// failed with.
import { expect, type Page } from "@playwright/test";
import OpenAI from "openai";

/** Creates a key on /settings/api-keys (signed in as `page`'s user) and returns its secret, shown once. */
export async function createKey(page: Page, name: string, options: { rpm?: number; models?: string; expires?: string } = {}): Promise<string> {
  await page.goto("/settings/api-keys");
  const form = page.getByRole("form", { name: "Create a key" });
  await form.getByLabel("Name").fill(name);
  if (options.rpm) await form.getByLabel("Requests per minute").fill(String(options.rpm));
  if (options.models) await form.getByLabel("Allowed models").fill(options.models);
  if (options.expires) await form.getByLabel("Expires").fill(options.expires);
  await form.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
  expect(secret).toMatch(/^kdl_[A-Za-z0-9_-]{43}$/);
  return secret;
}

/** The official client against this console's /v1, without retries (a test sees every status). */
export const client = (page: Page, apiKey: string) => new OpenAI({ apiKey, baseURL: `${new URL(page.url()).origin}/v1`, maxRetries: 0 });

/** The OpenAI.APIError `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function errorOf(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}
