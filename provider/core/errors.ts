// Typed errors of the pure core. A ValidationError names the field, the value it got and what
// is allowed, so every front end (Pulumi check failures, the CLI) can render it without parsing.

export class ValidationError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
  /** What was wrong beyond the value itself, when there is more to say. */
  readonly detail: string | undefined;

  constructor(field: string, value: unknown, allowed: string, detail?: string) {
    super(
      `${field}: invalid value ${describeValue(value)}${detail ? ` (${detail})` : ""}; allowed: ${allowed}`,
    );
    this.name = "ValidationError";
    this.field = field;
    this.value = value;
    this.allowed = allowed;
    this.detail = detail;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * A step on a node failed: which node, which step, the exit code, an excerpt of stderr with
 * secrets already redacted by the transport, and what to do next.
 */
export class RemoteError extends Error {
  readonly node: string;
  readonly step: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly hint: string | undefined;
  /** What the step reported it had changed before it failed (for cleanup decisions). */
  readonly changes: readonly string[];

  constructor(args: {
    node: string;
    step: string;
    exitCode: number | null;
    stderr: string;
    message?: string;
    hint?: string;
    changes?: readonly string[];
    cause?: unknown;
  }) {
    const excerpt = excerptOf(args.stderr);
    const what =
      args.message ?? (args.exitCode === null ? "did not complete" : `exited with code ${args.exitCode}`);
    super(
      `${args.node}: step ${args.step} ${what}` +
        (excerpt ? `\n  stderr: ${excerpt.replace(/\n/g, "\n          ")}` : "") +
        (args.hint ? `\n  next: ${args.hint}` : ""),
      args.cause === undefined ? undefined : { cause: args.cause },
    );
    this.name = "RemoteError";
    this.node = args.node;
    this.step = args.step;
    this.exitCode = args.exitCode;
    this.stderr = excerpt;
    this.hint = args.hint;
    this.changes = args.changes ?? [];
  }
}

/** Output from a node that does not have the expected shape (a tool version we do not know). */
export class ParseError extends Error {
  readonly what: string;
  readonly excerpt: string;
  constructor(what: string, detail: string, text: string) {
    const excerpt = excerptOf(text, 400);
    super(`could not parse ${what}: ${detail}${excerpt ? `\n  output: ${excerpt}` : ""}`);
    this.name = "ParseError";
    this.what = what;
    this.excerpt = excerpt;
  }
}

/** The last lines of a command's error output, bounded in size. */
export function excerptOf(text: string, maxChars = 1200): string {
  const lines = text
    .replace(/\r/g, "")
    .trimEnd()
    .split("\n")
    .filter((l) => l.trim() !== "");
  let out = lines.slice(-20).join("\n");
  if (out.length > maxChars) out = "..." + out.slice(out.length - maxChars);
  return out;
}
