// Building remote scripts: every step is one bash script with `set -euo pipefail`, a few
// shared helper functions, and structured markers on stdout that the parsers read back.
//
//   @@change <what>          the step changed something (absent on a no-op re-run)
//   @@refuse <reason>        the step refused to act (exit code 3), nothing was changed by it
//   @@begin <name> / @@end <name> <rc>    a captured section (read-only output)
import type { RemoteScript } from "../core/exec";
import { type ShellFragment, shq } from "../core/shell";

/** The last line every script prints: its absence means the script did not run to its end. */
export const DONE = "@@done";

/** Exit code a script uses when it refuses to act (data safety), as opposed to failing. */
export const EXIT_REFUSED = 3;

const PRELUDE = String.raw`set -eEuo pipefail
trap 'printf "failed (exit %s) at line %s: %s\n" "$?" "$LINENO" "$BASH_COMMAND" >&2' ERR
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
change() { printf '@@change %s\n' "$*"; }
refuse() { printf '@@refuse %s\n' "$*"; printf '%s\n' "$*" >&2; exit 3; }
fail() { printf '%s\n' "$*" >&2; exit 1; }
finish() { printf '@@done\n'; exit 0; }
section() { local n=$1 rc=0; shift; printf '@@begin %s\n' "$n"; "$@" || rc=$?; printf '\n@@end %s %s\n' "$n" "$rc"; }
gl() { gluster --mode=script "$@"; }
glx() { gluster --mode=script "$@" --xml; }
xml_ret() { sed -n 's:.*<opRet>\(-\{0,1\}[0-9]*\)</opRet>.*:\1:p' | head -n1; }
xml_err() { sed -n 's:.*<opErrstr>\(.*\)</opErrstr>.*:\1:p' | head -n1; }
# gl_ok ARGS...: runs a gluster command with --xml, fails with its opErrstr unless opRet is 0.
gl_ok() { local out; out=$(glx "$@" 2>&1) || true; if [ "$(printf '%s' "$out" | xml_ret)" != 0 ]; then printf 'gluster %s: %s\n' "$*" "$(printf '%s' "$out" | xml_err)" >&2; printf '%s\n' "$out" | tail -n 5 >&2; return 1; fi; }
`;

export interface ScriptOptions {
  readOnly?: boolean;
  timeoutMs?: number;
}

/** Accumulates lines of a script; values must already be quoted (use `sh` or `shq`). */
export class ScriptBuilder {
  private readonly lines: string[] = [];
  private count = 0;
  constructor(
    readonly step: string,
    private readonly opts: ScriptOptions = {},
  ) {}

  /** Assigns a shell variable from a value (quoted here). */
  let(name: string, value: string | number): this {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad shell variable name ${name}`);
    this.lines.push(`${name}=${shq(value)}`);
    return this;
  }

  /** Adds shell text; `commands` says how many programs it runs on the happy path (for counters). */
  add(text: string | ShellFragment, commands = 0): this {
    this.lines.push(String(text));
    this.count += commands;
    return this;
  }

  build(): RemoteScript {
    const text = `${PRELUDE}# step: ${this.step}\n${this.lines.join("\n")}\nprintf '${DONE}\\n'\n`;
    return {
      step: this.step,
      text,
      readOnly: this.opts.readOnly ?? false,
      commands: Math.max(1, this.count),
      ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
    };
  }
}
