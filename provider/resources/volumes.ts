// The Gluster volume itself: create from the planned brick order, options, start, expand with
// rebalance, read back, stop and delete, through provider/node's volume operations. All run on
// the node of the first brick (any pool member would do); each converges when re-run.
import type { Brick, VolumeInputs } from "../core/model";
import * as node from "../node";
import { brickTargets, destroyBricks, destroyUnrecorded } from "./bricks";
import { executorFor, requireReachable, type Target } from "./remote";

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

function layoutOf(v: VolumeInputs): node.VolumeLayout {
  const d = v.durability;
  if (d.type === "distribute") return { kind: "distribute" };
  if (d.type === "disperse")
    return { kind: "disperse", data: d.disperseData!, redundancy: d.disperseRedundancy! };
  return d.arbiter
    ? { kind: "replicate", replica: 3, arbiter: true }
    : { kind: "replicate", replica: d.replica ?? 3 };
}

function planned(bricks: Brick[]): node.PlannedBrick[] {
  return ordered(bricks).map((b) => ({ host: b.storage, path: b.path }));
}

/** The node commands run on: the first brick's node, else the first node of the topology. */
function home(v: VolumeInputs, bricks: Brick[] = v.bricks ?? []): Target {
  const first = ordered(bricks)[0];
  return v.topology.find((n) => n.manageAddress === first?.node) ?? v.topology[0]!;
}

const ids = (v: VolumeInputs) => ({ cluster: v.cluster.clusterId, name: v.name });

export async function createVolume(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await node.createVolume(executorFor(home(v, bricks)), {
    ...ids(v),
    layout: layoutOf(v),
    bricks: planned(bricks),
    options: v.options,
  });
}

/** Adds the new bricks (the volume's bricks stay a prefix of the plan) and rebalances to completion. */
export async function expandVolume(v: VolumeInputs, _added: Brick[]): Promise<void> {
  const exec = executorFor(home(v));
  await node.addBricks(exec, { ...ids(v), layout: layoutOf(v), bricks: planned(v.bricks ?? []) });
  // node.rebalance polls the status until Gluster reports the run completed; a status query that
  // fails while the rebalance daemons start is retried, only a failed or stopped run is an error.
  await node.rebalance(exec, ids(v));
}

export async function ensureStarted(v: VolumeInputs): Promise<void> {
  await node.startVolume(executorFor(home(v)), ids(v));
}

export async function updateOptions(
  v: VolumeInputs,
  before: Record<string, string>,
  after: Record<string, string>,
): Promise<void> {
  const changed = Object.fromEntries(Object.entries(after).filter(([k, val]) => before[k] !== val));
  const removed = Object.keys(before).filter((k) => !(k in after));
  const exec = executorFor(home(v));
  if (Object.keys(changed).length > 0) await node.setOptions(exec, { ...ids(v), options: changed });
  if (removed.length > 0) await node.resetOptions(exec, { ...ids(v), keys: removed });
}

/** The volume as Gluster reports it, read from the first reachable node; undefined when it does not exist. */
export async function readVolume(v: VolumeInputs): Promise<LiveVolume | undefined> {
  let lastError: unknown;
  for (const target of [home(v), ...v.topology]) {
    try {
      const { info } = await node.readVolume(executorFor(target), v.name);
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

export async function volumeOutputs(v: VolumeInputs): Promise<Record<string, unknown>> {
  const live = await readVolume(v);
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

export async function deleteVolume(v: VolumeInputs): Promise<void> {
  const bricks = v.bricks ?? [];
  await requireReachable(brickTargets(v, bricks), `deleting volume ${v.name}`);
  // The volume is in this stack's state (created or imported by it): delete it even without our marker.
  await node.deleteVolume(executorFor(home(v)), { ...ids(v), adopt: true });
  await destroyBricks(v, bricks);
  // Bricks a failed expansion made but never recorded are found by their tags and removed too.
  await destroyUnrecorded(v);
}

/** After a failed create: remove what was made, collecting (not hiding) cleanup failures. */
export async function cleanupFailedCreate(v: VolumeInputs, bricks: Brick[], cause: unknown): Promise<void> {
  try {
    await deleteVolume({ ...v, bricks });
  } catch (cleanup) {
    const why = cleanup instanceof Error ? cleanup.message : String(cleanup);
    if (cause instanceof Error)
      cause.message += `\n(cleanup after the failure also failed: ${why}; run \`pulumi up\` again to converge)`;
  }
}
