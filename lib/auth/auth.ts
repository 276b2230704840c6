// The better-auth instance: email and password, sessions in httpOnly cookies, passwords hashed
// by the library. Its HTTP handler is deliberately NOT mounted: every sign-in, sign-out and account
// change goes through Kindling's own actions, which add rate limits, roles and the audit log.
import "server-only";
import { createHash } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { initDatabase, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { publicUrl, secret } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";
import { MIN_PASSWORD_LENGTH } from "./password-policy";

export function createAuth(db: Db, authSecret: string) {
  return betterAuth({
    appName: "Kindling",
    baseURL: publicUrl(),
    secret: authSecret,
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: schema.user, session: schema.session, account: schema.account, verification: schema.verification },
    }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: false,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 256,
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "viewer" },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    // Failed sign-ins are recorded in the audit log; better-auth's own warnings would repeat them.
    logger: { level: "error" },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** What lib/auth functions work with: the database and the auth instance bound to it. */
export interface AuthContext {
  db: Db;
  auth: Auth;
}

const holder = () => processSingleton("kindling.auth", () => ({ context: undefined as Promise<AuthContext> | undefined }));

/** The process-wide auth context, on the configured database. */
export function getAuthContext(): Promise<AuthContext> {
  const h = holder();
  if (!h.context) {
    const context = initDatabase().then(({ db }) => ({
      db,
      // A key of its own, derived from KINDLING_SECRET, so session signing never shares the
      // key that encrypts provider credentials.
      auth: createAuth(db, createHash("sha256").update(`kindling-auth:${secret()}`).digest("base64url")),
    }));
    h.context = context;
    context.catch(() => {
      if (h.context === context) h.context = undefined;
    });
  }
  return h.context;
}
