// The secret of an API key: `kdl_` and 32 random bytes in base64url. Only its SHA-256 is stored (a
// slow hash buys nothing for 256 random bits, and verification runs on every gateway request).
import { createHash, randomBytes } from "node:crypto";

export const KEY_PREFIX = "kdl_";
/** `kdl_` plus this many characters identify a key in lists and logs. */
const VISIBLE_CHARS = 8;

export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function keyPrefixOf(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + VISIBLE_CHARS);
}

export function generateKeySecret(): { secret: string; prefix: string; hash: string } {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, prefix: keyPrefixOf(secret), hash: hashKeySecret(secret) };
}

/** Whether a bearer token is shaped like one of our keys (any other token is refused without a lookup). */
export function looksLikeKeySecret(token: string): boolean {
  return token.startsWith(KEY_PREFIX) && token.length >= KEY_PREFIX.length + 43 && token.length <= 200;
}
