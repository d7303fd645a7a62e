// The contract the engine's calls meet (the dynamic provider's, after runtime.ts), and the
// helpers the declarations share: validation that names field and value, secret redaction.
import type { z } from "zod";
import { connectionSecretFields } from "../core/model";
import { quoted } from "../core/names";
import { redact } from "../ssh";

export type Inputs = Record<string, unknown>;
export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs?: Inputs;
  failures?: CheckFailure[];
}
export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}
export interface Handler {
  check(olds: Inputs, news: Inputs): Promise<CheckResult>;
  diff(id: string, olds: Inputs, news: Inputs): Promise<DiffResult>;
  create(inputs: Inputs): Promise<{ id: string; outs: Inputs }>;
  read(id: string, props: Inputs): Promise<{ id?: string; props?: Inputs; inputs?: Inputs }>;
  update(id: string, olds: Inputs, news: Inputs): Promise<{ outs: Inputs }>;
  delete(id: string, props: Inputs): Promise<void>;
}

/** What the engine puts where a value is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Zod issues become check failures that name the field, the value and what is allowed. A value
 * at or below a secret field (password, privateKey, privateKeyPassword, at any depth: proxy,
 * members, topology) is never shown, whatever its type; other values are shown with secrets masked.
 *
 * During preview some inputs are not known yet: an issue about a value that is (or holds, or
 * lies below) the engine's unknown marker is dropped, so every known value is still checked.
 * `failures` is then empty when nothing known is wrong (the caller passes the inputs through).
 */
export function validate<T>(
  schema: z.ZodType<T>,
  raw: Inputs,
): { ok: true; value: T } | { ok: false; failures: CheckFailure[] } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    failures: parsed.error.issues.flatMap((issue) => {
      const property = issue.path.map(String).join(".") || "(inputs)";
      let unknown = false;
      const value = issue.path.reduce<unknown>((v, key) => {
        if (v === UNKNOWN) unknown = true;
        return v && typeof v === "object" ? (v as Record<string, unknown>)[key as string] : undefined;
      }, raw);
      if (unknown || (issue.code !== "invalid_key" && containsUnknown(value))) return [];
      // A whole connection of the wrong type may be a key or password pasted one level too high.
      const last = String(issue.path[issue.path.length - 1] ?? "");
      const secret =
        issue.path.some((key) => secretKeys.has(String(key))) ||
        (secretHolders.has(last) &&
          (typeof value !== "object" || Array.isArray(value)) &&
          value !== undefined);
      if (issue.code === "invalid_key") {
        // A record key failed its rule: name the key, and say what keys may look like.
        const key = String(issue.path[issue.path.length - 1]);
        const why = issue.issues[0]?.message ?? issue.message;
        const refused = issue.issues[0]?.code === "custom" && issue.issues[0].params?.refusal;
        return {
          property,
          reason: refused
            ? `${property}: the key ${JSON.stringify(key)} ${why}`
            : `${property}: the key ${JSON.stringify(key)} is not allowed: ${why}`,
        };
      }
      const shown = secret
        ? `a ${describeType(value)}, not shown: it is a secret`
        : value === undefined
          ? "nothing"
          : JSON.stringify(redactSecrets(value));
      if (issue.code === "custom" && issue.params?.plain) {
        // The rule wrote the whole sentence (it names the value itself, never a secret).
        return { property, reason: redact(`${property}: ${issue.message}`, secretValuesOf(raw)) };
      }
      if (issue.code === "custom" && issue.params?.refusal && !secret) {
        // A shared rule (provider/core/names.ts): "the value X why; fix", as the builders say it.
        return {
          property,
          reason: redact(`${property}: the value ${quoted(value)} ${issue.message}`, secretValuesOf(raw)),
        };
      }
      // A secret is never echoed: not at a secret field's own path, not inside an object shown
      // whole, and not where the same text sits under another name.
      return {
        property,
        reason: redact(`${property}: ${issue.message} (got ${shown})`, secretValuesOf(raw)),
      };
    }),
  };
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value === "object" ? "object" : typeof value;
}

/** Keys whose values are secret wherever they appear: the connection's secret fields and `credentials`. */
const secretKeys = new Set<string>([...connectionSecretFields, "credentials"]);
/** Fields whose object holds secrets: a value of another type there is not shown either. */
const secretHolders = new Set(["connection", "proxy"]);
/** A copy with every secret field's value (any type, at any depth) replaced by "[secret]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        secretKeys.has(k) && v !== undefined && v !== null ? "[secret]" : redactSecrets(v),
      ]),
    );
  }
  return value;
}

/** Every non-empty string found under a secret key of these values, for redacting text by value. */
export function secretValuesOf(...values: unknown[]): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, underSecret: boolean): void => {
    if (typeof v === "string") {
      if (underSecret && v !== "") out.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, underSecret));
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) visit(x, underSecret || secretKeys.has(k));
  };
  for (const v of values) visit(v, false);
  return [...out];
}

/** Compares two values as JSON with object keys sorted. */
export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
