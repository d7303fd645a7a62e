// Removes secrets from any text that may reach an error or a log line.

const PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
export const REDACTED = "[redacted]";

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
  return out;
}
