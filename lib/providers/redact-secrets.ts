// Upstream error text is shown to members and stored in usage rows that viewers can read, and some
// providers echo the key they were sent. Everything that looks like a credential is cut out first.

const REDACTED = "[redacted]";

const BEARER = /\bbearer\s+[^\s"',;]+/gi;
// "Authorization: xyz", "api_key=xyz", "x-api-key: xyz", "token=xyz"
const LABELLED = /\b(authorization|api[-_ ]?key|x-api-key|access[-_ ]?token|secret|password|token)(["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"',;]{4,}/gi;
// Well-known key prefixes (OpenAI sk-/sess-, Kindling kdl_, Groq gsk_, xAI, GitHub, Google, Hugging Face, Slack, AWS).
const PREFIXED = /\b(?:sk|pk|rk|sess|kdl|gsk|xai|fw|ghp|gho|ghu|ghs|github_pat|hf|xox[abpr]|AKIA|AIza)[-_][A-Za-z0-9_\-.*]{8,}/g;
// JWTs, and long opaque runs mixing letters and digits (hex or base62 keys); hyphenated model names are left alone.
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const OPAQUE = /\b(?=\w*\d)(?=\w*[A-Za-z])\w{32,}\b/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `text` with `secrets` (the provider key), their visible ends, and anything bearer-like replaced;
 * NUL characters are dropped too, since the usage row's text column would refuse them.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | null | undefined> = []): string {
  let out = text.replaceAll("\u0000", "");
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    // Providers often echo a key with its middle masked ("sk-abc1****wxyz"): cut any word holding
    // a long enough piece of either end of it.
    if (secret.length >= 16) {
      const head = escapeRegExp(secret.slice(0, 8));
      const tail = escapeRegExp(secret.slice(-6));
      out = out.replace(new RegExp(`\\S*(?:${head}|${tail})\\S*`, "g"), REDACTED);
    }
  }
  return out
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(LABELLED, (_m, label: string, sep: string) => `${label}${sep}${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(PREFIXED, REDACTED)
    .replace(OPAQUE, REDACTED);
}
