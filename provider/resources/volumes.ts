// The Gluster volume itself: create from the planned brick order, options, start, expand with
// rebalance, read back, stop and delete, through provider/node's volume operations. All run on
// the node of the first brick (any pool member would do); each converges when re-run.
import type { RemoteError } from "../core/errors";
import { type Durability, fromDurabilityInputs, resolveDurability } from "../core/durability";
import { DEFAULTS, type RebalanceState } from "../core/defaults";
import type { Brick, VolumeInputs } from "../core/model";
import { OWNER_OPTION } from "../core/names";
import * as node from "../node";
import { brickTargets, destroyOwned, destroyRecorded } from "./bricks";
import type { Deps, Target } from "./deps";
import { requireReachable } from "./remote";
import { surveyVolume } from "./volume-survey";

/** The volume as Gluster reports it (bricks as `host:path`). */
export interface LiveVolume {
  name: string;
  id: string;
  status: string;
  bricks: string[];
  options: Record<string, string>;
}

function ordered(bricks: Brick[]): Brick[] {
  return [...bricks].sort((a, b) => a.set - b.set || a.index - b.index);
}

function durabilityOf(v: VolumeInputs): Durability {
  return resolveDurability(fromDurabilityInputs(v.durability));
}

function planned(bricks: Brick[]): node.PlannedBrick[] {
  return ordered(bricks).map((b) => ({ host: b.storage, path: b.path }));
}

/** The node commands run on: the first brick's node, else the first node of the topology. */
function home(v: VolumeInputs, bricks: Brick[] = v.bricks ?? []): Target {
  const first = ordered(bricks)[0];
  return v.topology.find((n) => n.manageAddress === first?.node) ?? v.topology[0]!;
}

const ids = (v: VolumeInputs): node.VolumeRef => ({
  cluster: v.cluster.clusterId,
  name: v.name,
  ...(v.owner !== undefined ? { owner: v.owner } : {}),
});

export async function createVolume(deps: Deps, v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await node.createVolume(deps.executorFor(home(v, bricks)), {
    ...ids(v),
    durability: durabilityOf(v),
    bricks: planned(bricks),
    options: v.options,
    // A new volume needs no rebalance: the mark says its bricks are balanced, so a later
    // expansion whose rebalance was cut is told apart by the mark lagging the brick count.
    rebalanced: bricks.length,
  });
}

/** Whether `up` waits for a rebalance to finish (the Volume's `rebalance` input). */
const waits = (v: VolumeInputs) => (v.rebalance ?? DEFAULTS.rebalance) === "wait";

/**
 * Finishes (or, with `rebalance: "start"`, starts or records) a rebalance an expansion left
 * pending: the mark lags the brick count. Undefined when nothing was pending.
 */
export async function rebalanceIfPending(
  deps: Deps,
  v: VolumeInputs,
  live: node.GlusterVolumeInfo | undefined,
): Promise<RebalanceState | undefined> {
  const mark = live?.options[node.REBALANCED_OPTION];
  if (!live || mark === undefined || mark === String(live.brickCount)) return undefined;
  const r = await node.rebalance(deps.executorFor(home(v)), { ...ids(v), wait: waits(v) });
  return r.state;
}

/**
 * The rebalance state refresh reports: from the volume's marks, and Gluster's status of its last
 * run only when the marks lag the bricks (one read-only step). A status that cannot be read is
 * `unknown`, never taken for done.
 */
export async function rebalanceState(
  deps: Deps,
  v: VolumeInputs,
  live: node.GlusterVolumeInfo,
): Promise<RebalanceState> {
  const fromMarks = node.rebalanceStateOf(live, undefined);
  if (fromMarks === "completed" || fromMarks === "not-needed") return fromMarks;
  try {
    return node.rebalanceStateOf(live, await node.rebalanceStatus(deps.executorFor(home(v)), v.name));
  } catch {
    return "unknown";
  }
}

/** Marks a volume this resource holds without an owner marker (made before owner markers) as its own. */
export async function claimOwnership(
  deps: Deps,
  v: VolumeInputs,
  live: node.GlusterVolumeInfo | undefined,
): Promise<void> {
  if (!live || v.owner === undefined || live.options[OWNER_OPTION]) return;
  await node.setOptions(deps.executorFor(home(v)), { ...ids(v), options: {}, markOwner: true });
}

/**
 * Adds the new bricks (the volume's bricks stay a prefix of the plan) and rebalances: to
 * completion by default, or only started with `rebalance: "start"`. Returns the rebalance state.
 */
export async function expandVolume(
  deps: Deps,
  v: VolumeInputs,
  _added: Brick[],
): Promise<RebalanceState | undefined> {
  const exec = deps.executorFor(home(v));
  await node.addBricks(exec, { ...ids(v), durability: durabilityOf(v), bricks: planned(v.bricks ?? []) });
  // node.rebalance polls the status until Gluster reports the run completed; a status query that
  // fails while the rebalance daemons start is retried, only a failed or stopped run is an error.
  const r = await node.rebalance(exec, { ...ids(v), wait: waits(v) });
  return r.state;
}

export async function ensureStarted(deps: Deps, v: VolumeInputs): Promise<void> {
  await node.startVolume(deps.executorFor(home(v)), ids(v));
}

export async function updateOptions(
  deps: Deps,
  v: VolumeInputs,
  before: Record<string, string>,
  after: Record<string, string>,
): Promise<void> {
  const changed = Object.fromEntries(Object.entries(after).filter(([k, val]) => before[k] !== val));
  const removed = Object.keys(before).filter((k) => !(k in after));
  const exec = deps.executorFor(home(v));
  if (Object.keys(changed).length > 0) await node.setOptions(exec, { ...ids(v), options: changed });
  if (removed.length > 0) await node.resetOptions(exec, { ...ids(v), keys: removed });
}

/** The volume as Gluster reports it, read from the first reachable node; undefined when it does not exist. */
export async function readVolume(deps: Deps, v: VolumeInputs): Promise<LiveVolume | undefined> {
  let lastError: unknown;
  for (const target of [home(v), ...v.topology]) {
    try {
      const { info } = await node.readVolume(deps.executorFor(target), v.name);
      if (!info) return undefined;
      return {
        name: info.name,
        id: info.id,
        status: info.status,
        bricks: info.bricks.map((b) => b.spec),
        options: info.options,
      };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export async function volumeOutputs(deps: Deps, v: VolumeInputs): Promise<Record<string, unknown>> {
  const live = await readVolume(deps, v);
  const hosts = [...new Set(ordered(v.bricks ?? []).map((b) => b.storage))];
  const [first, ...backups] = hosts;
  return {
    volumeId: live?.id ?? "",
    status: live?.status ?? "",
    mountSource: `${first}:/${v.name}`,
    backupVolfileServers: backups,
    mountOptions: backups.length > 0 ? `backup-volfile-servers=${backups.join(":")}` : "defaults",
  };
}

/**
 * Deletes the volume this resource holds (marked for it, or unmarked and in its state), then its
 * recorded bricks and any brick tagged for it that no volume uses (from a cut expansion).
 */
export async function deleteVolume(deps: Deps, v: VolumeInputs): Promise<void> {
  const bricks = v.bricks ?? [];
  await requireReachable(deps, brickTargets(v, bricks), `deleting volume ${v.name}`);
  await node.deleteVolume(deps.executorFor(home(v)), { ...ids(v), adopt: true });
  const survey = await surveyVolume(deps, v, true);
  await destroyRecorded(deps, v, bricks, survey);
  const recorded = new Set(bricks.map((b) => `${b.node}|${b.device}|${b.id}`));
  await destroyOwned(
    deps,
    v,
    survey.owned.filter(
      (o) => !o.attached && !recorded.has(`${o.brick.node}|${o.brick.device}|${o.brick.id}`),
    ),
  );
}

/**
 * After a failed create: removes only what this resource made. The volume goes only if it
 * carries this resource's owner marker; bricks only if tagged for this resource and used by no
 * volume. Cleanup failures are added to the error (the next `up` finishes from the nodes).
 */
export async function cleanupFailedCreate(deps: Deps, v: VolumeInputs, cause: unknown): Promise<void> {
  const notes: string[] = [];
  try {
    await node.deleteVolume(deps.executorFor(home(v)), { ...ids(v), ownedOnly: true });
  } catch (err) {
    // A refusal (not ours, or unmarked) means there is nothing of ours to delete.
    const refused = (err as Partial<RemoteError>).exitCode === node.EXIT_REFUSED;
    if (!refused) notes.push(err instanceof Error ? err.message : String(err));
  }
  try {
    const survey = await surveyVolume(deps, v, true);
    await destroyOwned(
      deps,
      v,
      survey.owned.filter((o) => !o.attached),
    );
    if (survey.unreachable.length > 0) notes.push(`could not read ${survey.unreachable.join(", ")}`);
  } catch (err) {
    notes.push(err instanceof Error ? err.message : String(err));
  }
  if (notes.length > 0 && cause instanceof Error)
    cause.message += `\n(cleanup after the failure was not complete: ${notes.join("; ")}; run \`pulumi up\` again to finish)`;
}
