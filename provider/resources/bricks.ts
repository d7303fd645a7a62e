// Bricks: a thin pool and a thin LV per brick, XFS, a persistent mount and the brick directory,
// made, grown and removed by provider/node's brick operations. Nodes work in parallel; each
// node's bricks go one after the other. Every operation checks first, so a re-run converges.
import type { Brick, VolumeInputs } from "../core/model";
import { PATTERNS, TAG, brickMountPath } from "../core/names";
import * as node from "../node";
import { executorFor, type Target } from "./remote";

function targetOf(v: VolumeInputs, manage: string): Target {
  const t = v.topology.find((n) => n.manageAddress === manage);
  if (!t) throw new Error(`volume ${v.name}: brick node ${manage} is not in the cluster's topology any more`);
  return t;
}

/** Bricks grouped by node, in a stable order. */
function byNode(bricks: Brick[]): [string, Brick[]][] {
  const groups = new Map<string, Brick[]>();
  for (const b of bricks) groups.set(b.node, [...(groups.get(b.node) ?? []), b]);
  return [...groups.entries()];
}

/** Runs `f` for each node's bricks in sequence, all nodes at once. */
async function perNode(
  v: VolumeInputs,
  bricks: Brick[],
  f: (exec: ReturnType<typeof executorFor>, b: Brick) => Promise<unknown>,
): Promise<void> {
  await node.onNodes(byNode(bricks), async ([manage, list]) => {
    const exec = executorFor(targetOf(v, manage));
    for (const b of list) await f(exec, b);
  });
}

function refOf(v: VolumeInputs, b: Brick): node.BrickRef {
  return node.brickRef({
    cluster: v.cluster.clusterId,
    device: b.device,
    volume: v.name,
    set: b.set,
    index: b.index,
    brickRoot: v.cluster.brickRoot,
  });
}

export async function createBricks(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await perNode(v, bricks, (exec, b) =>
    node.createBrick(exec, {
      cluster: v.cluster.clusterId,
      device: b.device,
      volume: v.name,
      set: b.set,
      index: b.index,
      role: b.role,
      sizeBytes: b.size,
      poolSizeBytes: b.poolSize,
      poolMetadataBytes: b.metadataSize,
      brickRoot: v.cluster.brickRoot,
      ...(v.gid !== undefined ? { gid: v.gid } : {}),
    }),
  );
}

export async function growBricks(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await perNode(v, bricks, (exec, b) =>
    node.growBrick(exec, refOf(v, b), { sizeBytes: b.size, poolSizeBytes: b.poolSize }),
  );
}

export async function destroyBricks(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await perNode(v, bricks, (exec, b) => node.destroyBrick(exec, refOf(v, b)));
}

/**
 * Removes every brick of the volume that the nodes carry but state does not (made by an
 * expansion that failed before it was recorded): found by our LVM tags (or names) in each
 * node's inventory. Nodes that cannot be reached are skipped; their bricks were checked
 * reachable before.
 */
export async function destroyUnrecorded(v: VolumeInputs): Promise<void> {
  const vgPrefix = `gfs_${v.cluster.clusterId}_`;
  await Promise.allSettled(
    v.topology.map(async (t) => {
      const exec = executorFor(t);
      const inventory = await node.readInventory(exec);
      const ours = (vg: string, volume: string | undefined) => volume === v.name && vg.startsWith(vgPrefix);
      const mountOf = (brickId: string | undefined) => {
        const id = PATTERNS.brickId.exec(brickId ?? "");
        return id ? brickMountPath(v.cluster.brickRoot, v.name, Number(id[1]), Number(id[2])) : undefined;
      };
      const refs: node.BrickRef[] = [];
      for (const b of inventory.bricks) {
        const mount = b.mount ?? mountOf(b.brickId);
        if (b.origin !== "heketi" && ours(b.vg, b.volume) && mount && b.pool)
          refs.push({ vg: b.vg, pool: b.pool, lv: b.lv, mount });
      }
      // Thin pools left without their thin LV (a create cut off between the two).
      for (const p of inventory.lvs) {
        const mount = mountOf(p.tags[TAG.brick]);
        if (p.kind !== "thin-pool" || !ours(p.vg, p.tags[TAG.volume]) || !mount) continue;
        if (refs.some((r) => r.vg === p.vg && r.pool === p.name)) continue;
        refs.push({ vg: p.vg, pool: p.name, lv: p.name.replace(/^tp_/, "brick_"), mount });
      }
      for (const ref of refs) await node.destroyBrick(exec, ref);
    }),
  );
}

export function brickTargets(v: VolumeInputs, bricks: Brick[]): Target[] {
  return byNode(bricks).map(([manage]) => targetOf(v, manage));
}
