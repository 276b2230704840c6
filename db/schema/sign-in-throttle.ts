// Sign-in attempts per account and per address, counted before the password is checked: one row
// per key, incremented by a single upsert so parallel attempts cannot all slip under the limit.
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";

export const signInThrottle = pgTable("sign_in_throttle", {
  /** "account:<lower-cased email>" or "address:<client address>". */
  key: text("key").primaryKey(),
  /** When the current window began (its first attempt); a window older than the limit's restarts at 1. */
  windowStartedAt: timestamptz("window_started_at").notNull(),
  /** Attempts in the window that did not succeed, plus those in flight. */
  attempts: integer("attempts").notNull(),
});
