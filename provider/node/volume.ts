// Gluster volumes: create from a planned brick order, options, start, add bricks, rebalance,
// stop, delete, and live state. Each is one script on one node; each converges when re-run.
import {
  addBrickWords,
  createWords,
  type Durability,
  resolveDurability,
  setSizeOf,
} from "../core/durability";
import type { RemoteExecutor } from "../core/exec";
import { ValidationError } from "../core/errors";
import {
  MANAGED_OPTION,
  OWNER_OPTION,
  assertBrickPath,
  assertClusterId,
  assertHost,
  assertOptionKey,
  assertOptionValue,
  assertOwner,
  assertUserOptionKey,
  assertVolumeName,
} from "../core/names";
import { sh } from "../core/shell";
import { REBALANCE_STATES, type RebalanceState } from "../core/defaults";
import {
  type GlusterVolumeInfo,
  type GlusterVolumeStatus,
  parseRebalanceStatus,
  parseVolumeInfo,
  parseVolumeStatus,
} from "./gluster-xml";
import { NODE_LOCK_WAIT_SECONDS, ScriptBuilder } from "./script";
import { applyStep, runStep } from "./step";

/** The option recording how many bricks the last completed rebalance covered. */
export const REBALANCED_OPTION = "user.glusterfs-provider.rebalanced";
/**
 * The option recording how many bricks the last rebalance started (or found running) covers:
 * Gluster keeps the status of its last run across add-brick, so "completed" alone could be an
 * older run's; with this mark equal to the brick count it is a run that covered every brick.
 * (Gluster refuses add-brick while a rebalance runs, so a run in progress covers them too.)
 */
export const REBALANCE_STARTED_OPTION = "user.glusterfs-provider.rebalance-started";

export interface PlannedBrick {
  host: string;
  /** Brick directory on the host (the `brick` directory below the mount). */
  path: string;
}

/** host:/path specs in plan order, checked: whole sets, no two bricks of a set on one host. */
export function brickSpecs(bricks: readonly PlannedBrick[], durability: Durability): string[] {
  // Checked again here, by the type's own rule: nothing unchecked reaches a node.
  const n = setSizeOf(resolveDurability(durability));
  if (bricks.length === 0 || bricks.length % n !== 0)
    throw new ValidationError("bricks", bricks.length, `a non-zero multiple of the set size ${n}`);
  const specs = bricks.map((b, i) => {
    const host = assertHost(b.host, `brick ${i} host`);
    return `${host}:${assertBrickPath(b.path, `brick ${i} path`)}`;
  });
  if (new Set(specs).size !== specs.length) throw new ValidationError("bricks", specs, "distinct bricks");
  if (n > 1)
    for (let s = 0; s < bricks.length; s += n) {
      const hosts = bricks.slice(s, s + n).map((b) => b.host);
      if (new Set(hosts).size !== hosts.length)
        throw new ValidationError(`set ${s / n}`, hosts, "bricks of one set on different hosts");
    }
  return specs;
}

/** Writes a literal "${" inside String.raw templates. */
const D = "${";

/**
 * Bash helpers over `gluster volume info VOL --xml` held in $info. Gluster's XML is parsed in
 * TypeScript (gluster-xml.ts) wherever the answer comes back to the provider; these few reads stay
 * on the node because each step must decide under the node lock, in the same round trip, from
 * what glusterd says at that moment (is the volume there, ours, started, with which bricks and
 * options) before it changes anything: a read in one round trip and a decision in another would
 * let a concurrent step or stack change the volume in between, and would double the round trips.
 */
const INFO = String.raw`owner_key='${OWNER_OPTION}'
xml_decode() { sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g'; }
info_read() { info=$(glx volume info "$vol" 2>&1) || true; info_ret=$(printf '%s' "$info" | xml_ret); }
info_exists() {
  [ "$info_ret" = 0 ] && return 0
  printf '%s' "$info" | xml_err | grep -qi 'does not exist' && return 1
  fail "gluster volume info $vol: $(printf '%s' "$info" | xml_err)$(printf '%s' "$info" | grep -qi '<cliOutput' || printf '%s' "$info" | tail -n 3)"
}
info_opt() { printf '%s\n' "$info" | awk -v k="$1" '{ t = $0; gsub(/^[ \t]+|[ \t]+$/, "", t) } t == "<name>" k "</name>" { getline; v = $0; if (v ~ /<value\/>/) { print ""; exit } gsub(/.*<value>|<\/value>.*/, "", v); print v; exit }' | xml_decode; }
info_has_opt() { printf '%s\n' "$info" | grep -qF "<name>$1</name>"; }
info_bricks() { printf '%s\n' "$info" | sed -n 's:.*<name>\([^<]*\:/[^<]*\)</name>.*:\1:p' | xml_decode; }
info_field() { printf '%s\n' "$info" | sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" | head -n1; }
require_ours() {
  local m o; m=$(info_opt "$managed_key"); o=$(info_opt "$owner_key")
  [ "$m" = "$cluster" ] || refuse "volume $vol exists but is not managed by cluster $cluster ($managed_key=${D}m:-unset})"
  # No owner marker: made before owners were recorded, and this resource's state holds it.
  [ -z "$o" ] || [ "$o" = "${D}owner:-}" ] || refuse "volume $vol belongs to $o, not to ${D}owner:-this resource}"
}`;

/** key value ... for `volume set`: the user's options by the model's rules, plus the provider's own markers. */
function assertBrickCount(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 100000)
    throw new ValidationError("rebalanced", n, "a brick count 1..100000");
  return n;
}

function optionPairs(options: Record<string, string>, markers: Record<string, string> = {}): string[] {
  for (const k of Object.keys(options)) assertOptionValue(assertUserOptionKey(k, `options.${k}`), options[k]);
  const all = { ...options, ...markers };
  return Object.keys(all)
    .sort()
    .flatMap((k) => [assertOptionKey(k), assertOptionValue(k, all[k])]);
}

const SET_OPTIONS = String.raw`set_args=()
while [ $# -ge 2 ]; do
  if ! info_has_opt "$1" || [ "$(info_opt "$1")" != "$2" ]; then set_args+=("$1" "$2"); fi
  shift 2
done
if [ ${D}#set_args[@]} -gt 0 ]; then
  gl_ok volume set "$vol" "${D}set_args[@]}"
  keys=(); for ((i = 0; i < ${D}#set_args[@]}; i += 2)); do keys+=("${D}set_args[i]}"); done
  change "volume set $vol ${D}keys[*]}"
fi`;

/**
 * Which volume a step acts on. `owner` names the Volume resource that owns it (the
 * OWNER_OPTION marker): a volume marked for another owner is refused by every step.
 */
export interface VolumeRef {
  cluster: string;
  name: string;
  owner?: string;
}

export interface CreateVolumeSpec extends VolumeRef {
  /** Resolved (provider/core/durability): its kind gives the set size and the command's words. */
  durability: Durability;
  bricks: readonly PlannedBrick[];
  options?: Record<string, string>;
  /** Start the volume (default true). */
  start?: boolean;
  /** Record this many bricks as rebalanced (a new volume needs no rebalance). */
  rebalanced?: number;
}

/**
 * Creates (or adopts our own half-made) volume with exactly the planned bricks, marks it as
 * ours, sets options that differ, starts it. A volume of the same name that is not ours, or
 * whose bricks differ from the plan, is refused.
 */
export function buildCreateVolume(spec: CreateVolumeSpec) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  const specs = brickSpecs(spec.bricks, spec.durability);
  const opts = optionPairs(spec.options ?? {}, {
    [MANAGED_OPTION]: cluster,
    ...(owner !== "" ? { [OWNER_OPTION]: owner } : {}),
    ...(spec.rebalanced !== undefined
      ? { [REBALANCED_OPTION]: String(assertBrickCount(spec.rebalanced)) }
      : {}),
  });
  return new ScriptBuilder("volume.create", { timeoutMs: 600_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}; start=${spec.start === false ? 0 : 1}
planned=(${specs})
info_read
if info_exists; then
  current=$(info_bricks)
  if [ "$current" != "$(printf '%s\n' "\${planned[@]}")" ]; then
    refuse "volume $vol exists with bricks [$(printf '%s' "$current" | paste -sd' ' -)], not the planned [\${planned[*]}]"
  fi
  m=$(info_opt "$managed_key"); o=$(info_opt "$owner_key")
  # Same bricks and no marker: our own create that was cut before the markers were set (both
  # are set by one 'volume set'). Our bricks are tagged with our owner, so nobody else made it.
  [ -z "$m" ] || [ "$m" = "$cluster" ] || refuse "volume $vol exists but is managed by cluster $m, not $cluster"
  [ -z "$o" ] || [ "$o" = "$owner" ] || refuse "volume $vol exists and belongs to $o"
  [ -z "$owner" ] || [ -z "$m" ] || [ -n "$o" ] || refuse "volume $vol was made for cluster $cluster by an earlier version without an owner marker: import it rather than create it"
else
  gl_ok volume create "$vol" ${createWords(resolveDurability(spec.durability))} "\${planned[@]}"
  change "volume create $vol"
  info=""
fi
set -- ${opts}`,
      3,
    )
    .add(SET_OPTIONS)
    .add(
      `if [ "$start" = 1 ] && [ "$(info_field statusStr)" != Started ]; then
  gl_ok volume start "$vol"
  change "volume start $vol"
fi
section info glx volume info "$vol"`,
      2,
    )
    .build();
}

export interface VolumeResult {
  changes: string[];
  info: GlusterVolumeInfo | undefined;
}

function infoFrom(r: {
  output: { sections: ReadonlyMap<string, { text: string }> };
}): GlusterVolumeInfo | undefined {
  const s = r.output.sections.get("info");
  return s ? parseVolumeInfo(s.text)[0] : undefined;
}

export async function createVolume(exec: RemoteExecutor, spec: CreateVolumeSpec): Promise<VolumeResult> {
  const r = await runStep(exec, buildCreateVolume(spec));
  return { changes: r.changes, info: infoFrom(r) };
}

export interface SetOptionsSpec extends VolumeRef {
  options: Record<string, string>;
  /** Also mark the volume with `owner` (one this resource holds from before owner markers). */
  markOwner?: boolean;
}

/** Sets options whose value differs; only on a volume marked as ours. */
export function buildSetOptions(spec: SetOptionsSpec) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  return new ScriptBuilder("volume.set", { timeoutMs: 300_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}
info_read
info_exists || fail "volume $vol does not exist"
require_ours
set -- ${optionPairs(spec.options, spec.markOwner && owner !== "" ? { [OWNER_OPTION]: owner } : {})}`,
      1,
    )
    .add(SET_OPTIONS, 1)
    .build();
}

export async function setOptions(exec: RemoteExecutor, spec: SetOptionsSpec): Promise<{ changes: string[] }> {
  return applyStep(exec, buildSetOptions(spec));
}

/** Resets options that are set (Gluster cannot reset user.* options; those are left and reported). */
export function buildResetOptions(spec: VolumeRef & { keys: readonly string[] }) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  const keys = spec.keys.map((k) => assertOptionKey(k));
  if (keys.includes(MANAGED_OPTION))
    throw new ValidationError("keys", MANAGED_OPTION, "any option but the ownership marker");
  return new ScriptBuilder("volume.reset", { timeoutMs: 300_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}
info_read
info_exists || fail "volume $vol does not exist"
require_ours
for k in ${keys}; do
  info_has_opt "$k" || continue
  case "$k" in user.*) printf '@@value kept %s\n' "$k"; continue ;; esac
  gl_ok volume reset "$vol" "$k"
  change "volume reset $vol $k"
done`,
      2,
    )
    .build();
}

export async function resetOptions(
  exec: RemoteExecutor,
  spec: VolumeRef & { keys: readonly string[] },
): Promise<{ changes: string[] }> {
  return applyStep(exec, buildResetOptions(spec));
}

export function buildStartVolume(spec: VolumeRef) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  return new ScriptBuilder("volume.start", { timeoutMs: 300_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}
info_read
info_exists || fail "volume $vol does not exist"
require_ours
if [ "$(info_field statusStr)" != Started ]; then gl_ok volume start "$vol"; change "volume start $vol"; fi`,
      2,
    )
    .build();
}

export async function startVolume(exec: RemoteExecutor, spec: VolumeRef): Promise<{ changes: string[] }> {
  return applyStep(exec, buildStartVolume(spec));
}

/**
 * Adds the planned bricks that the volume does not have yet. `bricks` is the whole planned
 * order; the volume's current bricks must be its prefix (existing bricks never move).
 */
export function buildAddBricks(
  spec: VolumeRef & {
    durability: Durability;
    bricks: readonly PlannedBrick[];
  },
) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  const specs = brickSpecs(spec.bricks, spec.durability);
  const words = addBrickWords(resolveDurability(spec.durability));
  return new ScriptBuilder("volume.add-bricks", { timeoutMs: 600_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}
planned=(${specs})
info_read
info_exists || fail "volume $vol does not exist"
require_ours
mapfile -t current < <(info_bricks)
n=\${#current[@]}
[ "$n" -le \${#planned[@]} ] || refuse "volume $vol has $n bricks, more than the \${#planned[@]} planned (shrinking is not supported)"
for ((i = 0; i < n; i++)); do
  [ "\${current[i]}" = "\${planned[i]}" ] || refuse "brick $i of $vol is \${current[i]}, the plan says \${planned[i]}: existing bricks never move"
done
if [ "$n" -lt \${#planned[@]} ]; then
  gl_ok volume add-brick "$vol" ${words} "\${planned[@]:n}"
  change "volume add-brick $vol $(( \${#planned[@]} - n ))"
fi`,
      2,
    )
    .build();
}

export async function addBricks(
  exec: RemoteExecutor,
  spec: VolumeRef & { durability: Durability; bricks: readonly PlannedBrick[] },
): Promise<{ changes: string[] }> {
  return applyStep(exec, buildAddBricks(spec));
}

export interface RebalanceSpec extends VolumeRef {
  /** Wait for the run to finish (default), or only start it and say it is in progress. */
  wait?: boolean;
  waitSeconds?: number;
}

/**
 * Starts a rebalance unless the last completed one already covered the current bricks (recorded
 * in a volume option), and with `wait` (the default) waits for it; a failed rebalance fails the
 * step (Heketi ignored it). A run that covered every brick and completed since (a wait that was
 * cut, or `wait: false`) is recorded, not started again. Prints `@@value rebalance <state>`.
 */
export function buildRebalance(spec: RebalanceSpec) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  const wait = spec.waitSeconds ?? 3600;
  const block = spec.wait === false ? 0 : 1;
  // The lock is taken twice (before and after the wait): the second wait is part of the step's time.
  return new ScriptBuilder("volume.rebalance", { timeoutMs: (wait + 120 + NODE_LOCK_WAIT_SECONDS) * 1000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}; mark_key=${REBALANCED_OPTION}; started_key=${REBALANCE_STARTED_OPTION}; wait_s=${wait}; block=${block}
info_read
info_exists || fail "volume $vol does not exist"
require_ours
count=$(info_field brickCount); per=$(info_field replicaCount); dc=$(info_field disperseCount)
[ "\${dc:-0}" -gt 0 ] && per=$dc
[ "\${per:-0}" -gt 0 ] || per=1
[ "$(info_field statusStr)" = Started ] || fail "volume $vol is not started"
reb_status() { { glx volume rebalance "$vol" status 2>/dev/null || true; } | sed -n '/<aggregate>/,/<\/aggregate>/s:.*<statusStr>\(.*\)</statusStr>.*:\1:p' | head -n1; }
if [ $(( count / per )) -le 1 ]; then printf '@@value rebalance not-needed\n'; finish; fi
if [ "$(info_opt "$mark_key")" = "$count" ]; then printf '@@value rebalance completed\n'; finish; fi
st=$(reb_status)
if [ "$st" = completed ] && [ "$(info_opt "$started_key")" = "$count" ]; then
  gl_ok volume set "$vol" "$mark_key" "$count"
  change "volume rebalance $vol completed"
  printf '@@value rebalance completed\n'; finish
fi
if [ "$st" != "in progress" ]; then
  gl_ok volume rebalance "$vol" start
  change "volume rebalance $vol start"
fi
[ "$(info_opt "$started_key")" = "$count" ] || gl_ok volume set "$vol" "$started_key" "$count"
if [ "$block" = 0 ]; then printf '@@value rebalance in progress\n'; finish; fi
# Waiting changes nothing on this node: let other steps have the node lock meanwhile.
node_unlock
deadline=$(( $(date +%s) + wait_s ))
while :; do
  st=$(reb_status)
  case "$st" in
    completed) break ;;
    failed | stopped) fail "rebalance of $vol $st; see /var/log/glusterfs/$vol-rebalance.log on the nodes" ;;
  esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "rebalance of $vol still '\${st:-unknown}' after \${wait_s}s; it keeps running, re-run to wait again"
  sleep 2
done
node_lock "$node_lock_wait"
gl_ok volume set "$vol" "$mark_key" "$count"
change "volume rebalance $vol completed"
printf '@@value rebalance completed\n'`,
      4,
    )
    .build();
}

export async function rebalance(
  exec: RemoteExecutor,
  spec: RebalanceSpec,
): Promise<{ changes: string[]; state: RebalanceState | undefined }> {
  const r = await runStep(exec, buildRebalance(spec));
  const said = r.output.values.get("rebalance");
  const state = REBALANCE_STATES.find((s) => s === said);
  return { changes: r.changes, state };
}

/**
 * What refresh says of a volume's rebalance, from its info (the marks) and, when the marks lag
 * the bricks, Gluster's status of its last run (`undefined` when it was not read).
 */
export function rebalanceStateOf(info: GlusterVolumeInfo, status: string | undefined): RebalanceState {
  const per = info.disperseCount > 0 ? info.disperseCount : Math.max(1, info.replicaCount);
  if (info.brickCount / per <= 1) return "not-needed";
  const mark = info.options[REBALANCED_OPTION];
  const count = String(info.brickCount);
  if (mark === count) return "completed";
  if (status === "in progress") return "in progress";
  if (status === "failed" || status === "stopped") return status;
  // Not made here (no mark): its history is not ours to judge, unless Gluster says a run finished.
  if (mark === undefined) return status === "completed" ? "completed" : "unknown";
  // Completed, and that run covered every brick: done (the next change records it).
  if (status === "completed" && info.options[REBALANCE_STARTED_OPTION] === count) return "completed";
  return "pending";
}

/** Gluster's status of a volume's last rebalance, read-only ("not started" when none ran). */
export function buildRebalanceStatus(name: string) {
  const vol = assertVolumeName(name);
  return new ScriptBuilder("volume.rebalance-status", { readOnly: true, timeoutMs: 120_000 })
    .add(sh`section status glx volume rebalance ${vol} status`, 1)
    .build();
}

export async function rebalanceStatus(exec: RemoteExecutor, name: string): Promise<string> {
  const r = await runStep(exec, buildRebalanceStatus(name));
  const s = r.output.sections.get("status");
  if (!s) throw new Error(`${exec.host}: gluster volume rebalance ${name} status gave no answer`);
  return parseRebalanceStatus(s.text).status;
}

export function buildStopVolume(spec: VolumeRef) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  return new ScriptBuilder("volume.stop", { timeoutMs: 300_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}
info_read
info_exists || finish
require_ours
if [ "$(info_field statusStr)" = Started ]; then gl_ok volume stop "$vol"; change "volume stop $vol"; fi`,
      2,
    )
    .build();
}

export async function stopVolume(exec: RemoteExecutor, spec: VolumeRef): Promise<{ changes: string[] }> {
  return applyStep(exec, buildStopVolume(spec));
}

export interface DeleteVolumeSpec extends VolumeRef {
  /** Also delete a volume without an owner marker (one in this resource's state: imported, or
   *  made before owner markers); never one marked for another owner. */
  adopt?: boolean;
  /** Delete only a volume carrying this owner's marker (cleanup after a failed create). */
  ownedOnly?: boolean;
}

/**
 * Stops and deletes a volume; "does not exist" is success. A volume marked for another owner is
 * always refused; an unmarked one only with `adopt` (or our cluster marker, without `ownedOnly`).
 */
export function buildDeleteVolume(spec: DeleteVolumeSpec) {
  const cluster = assertClusterId(spec.cluster);
  const vol = assertVolumeName(spec.name);
  const owner = spec.owner === undefined ? "" : assertOwner(spec.owner);
  return new ScriptBuilder("volume.delete", { timeoutMs: 300_000 })
    .add(INFO)
    .add(
      sh`vol=${vol}; cluster=${cluster}; managed_key=${MANAGED_OPTION}; owner=${owner}; adopt=${spec.adopt ? 1 : 0}; owned_only=${spec.ownedOnly ? 1 : 0}
info_read
info_exists || finish
o=$(info_opt "$owner_key")
if [ -n "$o" ]; then
  [ "$o" = "$owner" ] || refuse "volume $vol belongs to $o, not to \${owner:-this resource}: not deleting it"
elif [ "$owned_only" = 1 ]; then
  refuse "volume $vol carries no owner marker, so this operation did not make it: not deleting it"
elif [ "$adopt" != 1 ]; then
  require_ours
fi
snaps=$(info_field snapshotCount)
[ "\${snaps:-0}" = 0 ] || refuse "volume $vol has $snaps snapshot(s); delete them first"
if [ "$(info_field statusStr)" = Started ]; then gl_ok volume stop "$vol"; change "volume stop $vol"; fi
out=$(glx volume delete "$vol" 2>&1) || true
if [ "$(printf '%s' "$out" | xml_ret)" = 0 ]; then change "volume delete $vol"
elif ! printf '%s' "$out" | xml_err | grep -qi 'does not exist'; then fail "gluster volume delete $vol: $(printf '%s' "$out" | xml_err)"; fi`,
      3,
    )
    .build();
}

export async function deleteVolume(
  exec: RemoteExecutor,
  spec: DeleteVolumeSpec,
): Promise<{ changes: string[] }> {
  return applyStep(exec, buildDeleteVolume(spec));
}

/** Live state: info and (when started) status with brick details, in one round trip. */
export function buildReadVolume(name: string) {
  const vol = assertVolumeName(name);
  return new ScriptBuilder("volume.read", { readOnly: true, timeoutMs: 180_000 })
    .add(
      sh`vol=${vol}
section info glx volume info "$vol"
section status glx volume status "$vol" detail`,
      2,
    )
    .build();
}

export async function readVolume(
  exec: RemoteExecutor,
  name: string,
): Promise<{ info: GlusterVolumeInfo | undefined; status: GlusterVolumeStatus | undefined }> {
  const r = await runStep(exec, buildReadVolume(name));
  const info = infoFrom(r);
  const st = r.output.sections.get("status");
  const parsed = info && st ? parseVolumeStatus(st.text) : undefined;
  return { info, status: parsed && parsed.started ? parsed.status : undefined };
}
