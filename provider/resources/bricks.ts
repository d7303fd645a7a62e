// Bricks: a thin pool and a thin LV per brick, XFS, a persistent mount and the brick directory,
// made, grown and removed by provider/node's brick operations. Nodes work in parallel; each
// node's bricks go one after the other. Every operation checks first, so a re-run converges.
// Every brick is tagged with its Volume resource's owner digest; only those are ever removed.
import { type BrickRecord, brickRecord } from "../core/brick";
import type { Brick, VolumeInputs } from "../core/model";
import { TAG } from "../core/names";
import * as node from "../node";
import type { RemoteExecutor } from "../core/exec";
import type { Deps, Target } from "./deps";
import { type OwnedBrick, type VolumeSurvey, ownerTag } from "./volume-survey";

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
  deps: Deps,
  v: VolumeInputs,
  bricks: Brick[],
  f: (exec: RemoteExecutor, b: Brick) => Promise<unknown>,
): Promise<void> {
  await node.onNodes(byNode(bricks), async ([manage, list]) => {
    const exec = deps.executorFor(targetOf(v, manage));
    for (const b of list) await f(exec, b);
  });
}

/** The brick's complete record, from what state holds (its path included, whatever brickRoot is now). */
function refOf(v: VolumeInputs, b: Brick): BrickRecord {
  return brickRecord(v.cluster.clusterId, v.name, b);
}

export async function createBricks(deps: Deps, v: VolumeInputs, bricks: Brick[]): Promise<void> {
  const owner = ownerTag(v);
  await perNode(deps, v, bricks, (exec, b) =>
    node.createBrick(exec, {
      ...refOf(v, b),
      ...(v.gid !== undefined ? { gid: v.gid } : {}),
      ...(owner !== undefined ? { owner } : {}),
    }),
  );
}

export async function growBricks(deps: Deps, v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await perNode(deps, v, bricks, (exec, b) =>
    node.growBrick(exec, refOf(v, b), { sizeBytes: b.size, poolSizeBytes: b.poolSize }),
  );
}

/**
 * Removes the bricks state records for this volume. A brick whose LV or pool is tagged for
 * another owner is not this resource's (its name was reused after ours went): it is left alone
 * and reported. Untagged bricks are ours from before owner tags (state records them).
 */
export async function destroyRecorded(
  deps: Deps,
  v: VolumeInputs,
  bricks: Brick[],
  survey: VolumeSurvey,
): Promise<void> {
  const mine = ownerTag(v);
  const foreign: string[] = [];
  const ours = bricks.filter((b) => {
    const ref = refOf(v, b);
    const lvs = survey.inventories.get(b.node)?.lvs ?? [];
    const owners = lvs
      .filter((l) => l.vg === ref.vg && (l.name === ref.lv || l.name === ref.pool))
      .map((l) => l.tags[TAG.owner])
      .filter((o): o is string => o !== undefined);
    if (owners.every((o) => o === mine)) return true;
    foreign.push(`${b.node}:${ref.vg}/${ref.lv}`);
    return false;
  });
  await perNode(deps, v, ours, (exec, b) => node.destroyBrick(exec, refOf(v, b)));
  if (foreign.length > 0)
    throw new Error(
      `volume ${v.name}: bricks ${foreign.join(", ")} are tagged for another Volume resource and were left alone; ` +
        `remove this volume from state (\`pulumi state delete\`) if it is gone`,
    );
}

/** Removes bricks found by this resource's owner tag (made by a cut operation, not used by any volume). */
export async function destroyOwned(deps: Deps, v: VolumeInputs, owned: OwnedBrick[]): Promise<void> {
  await node.onNodes([...new Set(owned.map((o) => o.brick.node))], async (manage) => {
    const exec = deps.executorFor(targetOf(v, manage));
    for (const o of owned.filter((x) => x.brick.node === manage)) await node.destroyBrick(exec, o.ref);
  });
}

export function brickTargets(v: VolumeInputs, bricks: Brick[]): Target[] {
  return byNode(bricks).map(([manage]) => targetOf(v, manage));
}
