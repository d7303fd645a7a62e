// Removes secrets from any text that may reach an error or a log line.

const PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
export const REDACTED = "[redacted]";
/** Where text was shortened: a quote cut at its end ("abc...") or an excerpt cut at its start ("...xyz"). */
const ELLIPSIS = "...";
/** The shortest piece of a secret worth hiding at a cut (redact ignores secrets shorter than this too). */
const MIN_FRAGMENT = 3;

/** Replaces every given secret (and anything shaped like a private key) with "[redacted]". */
export function redact(text: string, secrets: readonly (string | Buffer | undefined)[] = []): string {
  let out = text.replace(PEM, REDACTED);
  const values = secrets
    .map((s) => (Buffer.isBuffer(s) ? s.toString("utf8") : s))
    .filter((s): s is string => typeof s === "string" && s.length >= 3)
    // Also as JSON writes it (a quote or backslash escaped), and line by line (a key's lines).
    .flatMap((s) => [
      s,
      JSON.stringify(s).slice(1, -1),
      ...s.split(/\r?\n/).filter((l) => l.trim().length >= 16),
    ])
    .sort((a, b) => b.length - a.length);
  for (const s of values) out = out.split(s).join(REDACTED);
  // What is left of a secret after a cut: its start before an ellipsis, its end after one.
  for (const s of values) out = redactAtCuts(out, s);
  return out;
}

/** Replaces the longest start of `secret` that ends at an ellipsis, and the longest end that follows one. */
function redactAtCuts(text: string, secret: string): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf(ELLIPSIS); at !== -1; at = text.indexOf(ELLIPSIS, at + 1)) {
    if (at < from) continue;
    // text[at-k, at) is secret[0, k): the start of a quote cut short.
    const before = longest(
      Math.min(secret.length - 1, at - from),
      (k, i) => text.charCodeAt(at - k + i) === secret.charCodeAt(i),
    );
    const after = at + ELLIPSIS.length;
    // text[after, after+k) is the last k characters of secret: an excerpt that starts mid-way.
    const tail = longest(
      Math.min(secret.length - 1, text.length - after),
      (k, i) => text.charCodeAt(after + i) === secret.charCodeAt(secret.length - k + i),
    );
    out += text.slice(from, at - before) + (before ? REDACTED : "") + ELLIPSIS + (tail ? REDACTED : "");
    from = after + tail;
    at = from - 1;
  }
  return out + text.slice(from);
}

/**
 * The largest k in [MIN_FRAGMENT, max] whose k characters all match (same(k, i) for i < k), or 0.
 * Compared character by character, stopping at the first difference: linear in practice even for
 * a long key and a long text.
 */
function longest(max: number, same: (k: number, i: number) => boolean): number {
  for (let k = max; k >= MIN_FRAGMENT; k--) {
    let i = 0;
    while (i < k && same(k, i)) i++;
    if (i === k) return k;
  }
  return 0;
}
