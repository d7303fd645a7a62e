// The one way a value reaches a shell: POSIX single quotes. Pure.
//
// Every interpolation in a remote script goes through `shq` (directly or through the `sh`
// tagged template), so no caller ever hand-writes quoting. Values that contain only characters
// the shell treats literally pass unchanged, which keeps built scripts readable.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one value for a POSIX shell. Refuses NUL bytes, which no shell word can carry. */
export function shq(value: string | number): string {
  const s = typeof value === "number" ? String(value) : value;
  if (typeof s !== "string") throw new TypeError("shq: expected a string or number");
  if (s.includes("\0")) throw new TypeError("shq: value contains a NUL byte");
  if (s !== "" && SAFE.test(s) && !s.startsWith("=")) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A fragment that is already shell text (built from quoted parts); `sh` inserts it verbatim. */
export class ShellFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Marks trusted, constant shell text (never user input) for use inside `sh`. */
export function raw(text: string): ShellFragment {
  return new ShellFragment(text);
}

export type ShellValue = string | number | ShellFragment | readonly (string | number | ShellFragment)[];

function render(v: ShellValue): string {
  if (v instanceof ShellFragment) return v.text;
  if (Array.isArray(v)) return v.map((x) => render(x as ShellValue)).join(" ");
  return shq(v as string | number);
}

/**
 * Tagged template: the literal parts are shell text (raw: backslashes reach the shell as
 * written), every interpolated value is quoted (arrays become several quoted words;
 * `raw()`/`sh` fragments pass through).
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): ShellFragment {
  // The literal parts are taken raw, so shell text is written as the shell reads it (backslashes
  // included); only "\${" and "\`" (needed to write those characters in a template) are unescaped.
  const lit = strings.raw.map((s) => s.replace(/\\(\$\{|`)/g, "$1"));
  let out = lit[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (lit[i + 1] ?? "");
  });
  return new ShellFragment(out);
}
