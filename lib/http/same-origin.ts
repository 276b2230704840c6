// A write authenticated by the session cookie must come from the console's own pages: the browser
// attaches the cookie to requests from any site (another port of the same host is "same-site"), so
// the Origin must be the console's and the body JSON, which a cross-site form cannot send without
// CORS. API-key (Bearer) requests carry no ambient credential and are not subject to this.
import { AppError } from "@/lib/errors";

/**
 * null when `headers` are those of a same-origin JSON write, else the error to answer.
 * The console's origins: `publicUrl` (KINDLING_PUBLIC_URL) and the Host the server was reached at.
 */
export function crossOriginWriteError(headers: Headers, publicUrl: string | null | undefined): AppError | null {
  const origin = headers.get("origin");
  if (origin) {
    if (!isConsoleOrigin(origin, headers.get("host"), publicUrl)) {
      return new AppError("FORBIDDEN", "This request came from another site (its Origin is not the console's), so it was refused.");
    }
  } else if (headers.get("sec-fetch-site") !== "same-origin") {
    // Browsers send Origin on every POST; Sec-Fetch-Site is the fallback for the rare one that does not.
    return new AppError("FORBIDDEN", "This request did not say which site sent it (no Origin header), so it was refused.");
  }
  // The three content types a cross-site form (or a no-cors fetch) may send without a CORS
  // preflight are refused; a JSON body or a raw upload (application/octet-stream) needs a preflight.
  const type = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "" || FORM_TYPES.has(type)) {
    return new AppError("VALIDATION", "Content-Type must be application/json (or a file's own type for an upload).", {
      fieldErrors: { "content-type": ["Send the body as application/json."] },
    });
  }
  return null;
}

/** Content types a page on another site can send without asking (CORS-safelisted). */
const FORM_TYPES = new Set(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);

/** Throws the error of crossOriginWriteError. */
export function assertSameOriginWrite(headers: Headers, publicUrl: string | null | undefined): void {
  const error = crossOriginWriteError(headers, publicUrl);
  if (error) throw error;
}

function isConsoleOrigin(origin: string, host: string | null, publicUrl: string | null | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the literal "null" of sandboxed frames and file: pages
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  if (publicUrl) {
    try {
      if (new URL(publicUrl).origin === parsed.origin) return true;
    } catch {
      // a malformed KINDLING_PUBLIC_URL matches nothing
    }
  }
  return host !== null && host.toLowerCase() === parsed.host.toLowerCase();
}
