// Cluster-wide options (`gluster volume set all`): set what differs, reset what the resource
// set, read them back. glusterd keeps them in its own store and copies them to every pool member
// (a member that was down gets them when it reconnects), so one node of the pool is asked.
import type { RemoteExecutor } from "../core/exec";
import { ValidationError } from "../core/errors";
import { applyOrder, clusterOptionKeyRefusal, clusterOptionValueRefusal } from "../core/cluster-options";
import { sh } from "../core/shell";
import { expectOk } from "./gluster-xml";
import { ScriptBuilder } from "./script";
import { applyStep, runStep } from "./step";

/** Checked again here, by the core's rule: nothing unchecked reaches a node. */
function checkedKey(key: string): string {
  const refusal = clusterOptionKeyRefusal(key);
  if (refusal) throw new ValidationError(`options.${key}`, key, "a cluster-wide option", refusal);
  return key;
}
function checkedPairs(options: Record<string, string>): string[] {
  return applyOrder(Object.keys(options)).flatMap((key) => {
    const value = options[key]!;
    const refusal = clusterOptionValueRefusal(checkedKey(key), value);
    if (refusal) throw new ValidationError(`options.${key}`, value, "a value the option takes", refusal);
    return [key, value];
  });
}

/**
 * `volume get all KEY`: the value set, or empty while the key is unset (Gluster prints its
 * default with " (DEFAULT)" then). Gluster's XML puts one element on a line.
 */
const GET = String.raw`get_all() {
  local out; out=$(glx volume get all "$1" 2>&1) || true
  [ "$(printf '%s' "$out" | xml_ret)" = 0 ] || fail "gluster volume get all $1: $(printf '%s' "$out" | xml_err)"
  local v; v=$(printf '%s\n' "$out" | sed -n 's:.*<Value>\(.*\)</Value>.*:\1:p' | head -n1)
  case "$v" in *" (DEFAULT)") printf '@@unset\n' ;; *) printf '%s\n' "$v" ;; esac
}`;

/**
 * Sets each option whose value differs, one `volume set all` per key (glusterd applies only the
 * first pair of a `set all`), multiplexing first.
 */
export function buildSetClusterOptions(options: Record<string, string>) {
  const pairs = checkedPairs(options);
  return new ScriptBuilder("cluster.options-set", { timeoutMs: 300_000 })
    .add(GET)
    .add(
      sh`set -- ${pairs}
while [ $# -ge 2 ]; do
  cur=$(get_all "$1")
  if [ "$cur" != "$2" ]; then
    gl_ok volume set all "$1" "$2"
    change "volume set all $1"
  fi
  shift 2
done`,
      pairs.length,
    )
    .build();
}

export async function setClusterOptions(
  exec: RemoteExecutor,
  options: Record<string, string>,
): Promise<{ changes: string[] }> {
  return applyStep(exec, buildSetClusterOptions(options));
}

/** Resets each key that is set (an unset key is already at Gluster's default), in reverse order. */
export function buildResetClusterOptions(keys: readonly string[]) {
  const ordered = applyOrder(keys.map(checkedKey)).reverse();
  return new ScriptBuilder("cluster.options-reset", { timeoutMs: 300_000 })
    .add(GET)
    .add(
      sh`for k in ${ordered}; do
  cur=$(get_all "$k")
  [ "$cur" != @@unset ] || continue
  gl_ok volume reset all "$k"
  change "volume reset all $k"
done`,
      ordered.length,
    )
    .build();
}

export async function resetClusterOptions(
  exec: RemoteExecutor,
  keys: readonly string[],
): Promise<{ changes: string[] }> {
  return applyStep(exec, buildResetClusterOptions(keys));
}

/** Every cluster-wide option, one round trip, nothing changed. */
export function buildReadClusterOptions() {
  return new ScriptBuilder("cluster.options-read", { readOnly: true, timeoutMs: 120_000 })
    .add(`section options glx volume get all all`, 1)
    .build();
}

/** `gluster volume get all all --xml`: the keys explicitly set, with their values (defaults left out). */
export function parseClusterOptions(xml: string): Record<string, string> {
  const reply = expectOk(xml, "gluster volume get all all");
  const got = reply.root.volGetopts as Record<string, unknown> | undefined;
  const opts = got?.Opt;
  const list = (Array.isArray(opts) ? opts : opts ? [opts] : []) as Record<string, unknown>[];
  const out: Record<string, string> = {};
  for (const o of list) {
    const key = String(o.Option ?? "");
    const value = String(o.Value ?? "");
    if (key === "" || value.endsWith(" (DEFAULT)")) continue;
    out[key] = value;
  }
  return out;
}

/** The cluster-wide options set on the pool, as the node asked reads them. */
export async function readClusterOptions(exec: RemoteExecutor): Promise<Record<string, string>> {
  const r = await runStep(exec, buildReadClusterOptions());
  const s = r.output.sections.get("options");
  if (!s || s.rc !== 0)
    throw new Error(`${exec.host}: gluster volume get all all failed: ${s?.text ?? "no answer"}`);
  return parseClusterOptions(s.text);
}
