// Building remote scripts: every step is one bash script with `set -euo pipefail`, a few
// shared helper functions, and structured markers on stdout that the parsers read back.
//
//   @@change <what>          the step changed something (absent on a no-op re-run)
//   @@refuse <reason>        the step refused to act (exit code 3), nothing was changed by it
//   @@begin <name> / @@end <name> <rc>    a captured section (read-only output)
//   @@cause <key>            why the step failed or refused, when the script knows (selects the hint)
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
# refuse_because KEY MESSAGE / fail_because KEY MESSAGE: also name the cause, so that the caller
# gives the hint that matches it (and no other).
refuse_because() { printf '@@cause %s\n' "$1"; shift; refuse "$@"; }
fail_because() { printf '@@cause %s\n' "$1"; shift; fail "$@"; }
finish() { printf '@@done\n'; exit 0; }
section() { local n=$1 rc=0; shift; printf '@@begin %s\n' "$n"; "$@" || rc=$?; printf '\n@@end %s %s\n' "$n" "$rc"; section_rc=$rc; }
gl() { gluster --mode=script "$@"; }
glx() { gluster --mode=script "$@" --xml; }
xml_ret() { sed -n 's:.*<opRet>\(-\{0,1\}[0-9]*\)</opRet>.*:\1:p' | head -n1; }
xml_err() { sed -n 's:.*<opErrstr>\(.*\)</opErrstr>.*:\1:p' | head -n1; }
# replace_file FILE CMD...: FILE's new content is what CMD prints when it reads the old content on
# its input. Written to a temporary file with a unique name in FILE's directory, with FILE's owner
# and mode, flushed to disk, then renamed over FILE: a reader, a concurrent step or a crash sees
# the old file or the new one, never a half-written one. Only called under the node lock, so a
# temporary file already there was left by a step that was killed and can go (as can the fixed
# FILE.glusterfs-provider.tmp of earlier versions).
replace_file() {
  local f d b tmp
  f=$(readlink -f "$1"); shift; d=$(dirname "$f"); b=$(basename "$f")
  rm -f "$d/.$b.glusterfs-provider."?????? "$d/$b.glusterfs-provider.tmp"
  tmp=$(mktemp "$d/.$b.glusterfs-provider.XXXXXX") || fail "cannot create a temporary file next to $f"
  if ! { chown --reference="$f" "$tmp" && chmod --reference="$f" "$tmp" && "$@" <"$f" >"$tmp" && sync "$tmp" && mv -f "$tmp" "$f"; }; then
    rm -f "$tmp"
    fail "could not rewrite $f (left unchanged)"
  fi
  sync "$d" 2>/dev/null || true
}
# gl_ok ARGS...: runs a gluster command with --xml, fails with its opErrstr unless opRet is 0.
gl_ok() { local out; out=$(glx "$@" 2>&1) || true; if [ "$(printf '%s' "$out" | xml_ret)" != 0 ]; then printf 'gluster %s: %s\n' "$*" "$(printf '%s' "$out" | xml_err)" >&2; printf '%s\n' "$out" | tail -n 5 >&2; return 1; fi; }
`;

/**
 * Every mutating step holds this one node-wide lock from its first line to its last, so two
 * resources of one `pulumi up` (or two stacks, i.e. two provider processes) never interleave on
 * a node. The lock is flock(2) on a descriptor of the script's own shell: the kernel releases it
 * when the script ends, however it ends (killed by the step timeout, the connection lost).
 */
export const NODE_LOCK_FILE = "/run/lock/glusterfs-provider.lock";
/** How long a step waits for the node lock before it fails naming the holder. */
export const NODE_LOCK_WAIT_SECONDS = 600;

/**
 * Opens the lock read-only (flock needs no write access; an O_CREAT open of a file another user
 * made in the sticky /run/lock is refused by fs.protected_regular), waits a bounded time, then
 * records who holds it, for the message of the next step that has to wait too long.
 * LVM warns on stderr about every inherited descriptor; the lock's one is on purpose.
 */
function lockPrelude(step: string, waitSeconds: number): string {
  return String.raw`export LVM_SUPPRESS_FD_WARNINGS=1
node_lock_file=${NODE_LOCK_FILE}
node_lock_step=${shq(step)}
node_lock_wait=${waitSeconds}
node_lock() {
  [ -e "$node_lock_file" ] || { mkdir -p "$(dirname "$node_lock_file")" && (umask 022 && : >>"$node_lock_file"); } 2>/dev/null || true
  exec 9<"$node_lock_file" || fail "cannot open the node lock $node_lock_file on $(hostname)"
  if ! flock -w "$1" 9; then
    fail_because node-locked "step $node_lock_step waited $1 s for the node lock $node_lock_file on $(hostname) and gave up; it is held by: $(cat "$node_lock_file" 2>/dev/null || echo unknown) (processes with it open, waiters included: $(fuser "$node_lock_file" 2>/dev/null | tr -s ' ' || echo unknown))"
  fi
  { printf 'step %s, pid %s, since %s\n' "$node_lock_step" "$$" "$(date -u +%FT%TZ)" >"$node_lock_file"; } 2>/dev/null || true
}
# node_unlock, then node_lock "$node_lock_wait": around a long wait that changes nothing on the
# node (a rebalance running), so that it does not hold up every other step on the node.
node_unlock() { flock -u 9; }
node_lock "$node_lock_wait"
`;
}

export interface ScriptOptions {
  readOnly?: boolean;
  timeoutMs?: number;
  /** Bounded wait for the node lock (mutating steps only); added to the step's timeout. */
  lockWaitSeconds?: number;
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
    const readOnly = this.opts.readOnly ?? false;
    const wait = this.opts.lockWaitSeconds ?? NODE_LOCK_WAIT_SECONDS;
    if (!Number.isInteger(wait) || wait < 1) throw new Error(`bad lock wait ${wait}`);
    const lock = readOnly ? "" : lockPrelude(this.step, wait);
    const text = `${PRELUDE}${lock}# step: ${this.step}\n${this.lines.join("\n")}\nprintf '${DONE}\\n'\n`;
    // Waiting for the lock does not eat into the time the step's own work is given.
    const timeoutMs =
      this.opts.timeoutMs === undefined ? undefined : this.opts.timeoutMs + (readOnly ? 0 : wait * 1000);
    return {
      step: this.step,
      text,
      readOnly,
      commands: Math.max(1, this.count),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
  }
}
