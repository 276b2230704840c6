// Configuration read from the environment, in one place (README's configuration table mirrors it).
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.KINDLING_DATA_DIR || ".data");
}

export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function port(): number {
  return Number(process.env.PORT || 3000);
}

export function publicUrl(): string {
  return process.env.KINDLING_PUBLIC_URL || `http://localhost:${port()}`;
}

/**
 * KINDLING_SECRET, or the one generated into the data directory (mode 600) on first start.
 * It encrypts stored provider credentials and signs sessions, so it must survive restarts.
 */
export function secret(): string {
  const fromEnv = process.env.KINDLING_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("KINDLING_SECRET must be at least 32 characters long.");
    return fromEnv;
  }
  const dir = dataDir();
  const file = path.join(dir, "secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, value + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
  chmodSync(file, 0o600);
  return value;
}
