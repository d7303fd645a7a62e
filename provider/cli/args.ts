// The flag parser every `pulumi-glusterfs` command shares. Node's `util.parseArgs` splits the
// arguments into tokens; the rules on top are ours, so that each mistake is a ValidationError that
// names the flag, what was typed and what is allowed (parseArgs' own strict errors name neither
// consistently, and it silently keeps the last of a repeated flag).
import { parseArgs } from "node:util";
import { ValidationError } from "../core/errors";

export interface FlagSpec {
  type: "string" | "boolean";
  /** A one-letter alias, e.g. "i" for -i. */
  short?: string;
  /** May be given more than once; every value is kept in order. */
  multiple?: boolean;
}

/** Flags by long name without the dashes, e.g. `{ size: { type: "string" } }`. */
export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedFlags {
  /** Values of single-valued flags, keyed "--name" (the long form, also when typed as -x). */
  values: Map<string, string>;
  /** Values of repeatable flags, keyed "--name", in the order given. */
  lists: Map<string, string[]>;
  /** Switches that were given, keyed "--name". */
  switches: Set<string>;
}

function spelled(specs: FlagSpecs): string {
  return Object.entries(specs)
    .map(([name, s]) => (s.short ? `--${name} (-${s.short})` : `--${name}`))
    .join(", ");
}

export function parseFlags(args: string[], specs: FlagSpecs): ParsedFlags {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [
      name,
      { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) },
    ]),
  );
  // strict: false, so that an unknown flag, a missing value or a stray word comes back as a token
  // and is refused below with the flag named, instead of as parseArgs' generic TypeError.
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const known = new Set(
    Object.entries(specs).flatMap(([name, s]) => [`--${name}`, ...(s.short ? [`-${s.short}`] : [])]),
  );
  const parsed: ParsedFlags = { values: new Map(), lists: new Map(), switches: new Set() };
  for (const token of tokens) {
    if (token.kind === "positional") {
      throw new ValidationError("argument", token.value, `one of ${spelled(specs)}`);
    }
    if (token.kind === "option-terminator") {
      throw new ValidationError("argument", "--", `one of ${spelled(specs)}`);
    }
    const spec = specs[token.name];
    if (!spec) throw new ValidationError("argument", token.rawName, `one of ${spelled(specs)}`);
    const flag = `--${token.name}`;
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new ValidationError(flag, token.value, "no value: it is a switch");
      parsed.switches.add(flag);
      continue;
    }
    // `--size --replica 3`: parseArgs takes "--replica" as the size; a value that is one of our own
    // flags means the value was left out.
    if (token.value === undefined || (!token.inlineValue && known.has(token.value)))
      throw new ValidationError(flag, token.value, "a value after the flag");
    if (spec.multiple) {
      parsed.lists.set(flag, [...(parsed.lists.get(flag) ?? []), token.value]);
    } else if (parsed.values.has(flag)) {
      throw new ValidationError(flag, token.value, "the flag once");
    } else {
      parsed.values.set(flag, token.value);
    }
  }
  return parsed;
}
