// What the nodes say about one Volume resource: who owns the Gluster volume of its name, which
// bricks carry its owner tag and which of those the live volume uses. check, create, update,
// read and delete start here, so an operation cut at any step is finished from what exists
// (truth lives on the nodes), and nothing marked for anyone else is ever planned over or removed.
import { createHash } from "node:crypto";
import type { Brick, VolumeInputs } from "../core/model";
import {
  HEKETI_ID_OPTION,
  MANAGED_OPTION,
  OWNER_OPTION,
  PATTERNS,
  TAG,
  brickDirPath,
  brickId,
  brickMountPath,
  vgName,
} from "../core/names";
import * as node from "../node";
import type { Deps } from "./deps";

/** The LVM tag value naming one owner's bricks in one cluster: a digest of cluster id and owner. */
export function ownerDigest(clusterId: string, owner: string): string {
  return createHash("sha256").update(`${clusterId}\n${owner}`).digest("hex").slice(0, 24);
}

/** The owner digest of this Volume's bricks; none before the SDK set an owner (earliest releases). */
export function ownerTag(v: VolumeInputs): string | undefined {
  return v.owner === undefined ? undefined : ownerDigest(v.cluster.clusterId, v.owner);
}

/** A brick on a node that carries this resource's owner tag (its pool does; the LV once formatted). */
export interface OwnedBrick {
  /** As a brick record: node, device, id, sizes as they are on the node. */
  brick: Brick;
  ref: node.BrickRef;
  /** The thin LV exists (a create cut between pool and LV leaves only the pool). */
  hasLv: boolean;
  /** The live volume uses it. */
  attached: boolean;
  extentBytes: number;
}

export interface VolumeSurvey {
  /** Node inventories by manage address (nodes that could not be read are missing). */
  inventories: Map<string, node.NodeInventory>;
  /** Nodes that could not be read, with the reason. */
  unreachable: string[];
  /** The Gluster volume of this name, undefined when no answering glusterd knows it. */
  live: node.GlusterVolumeInfo | undefined;
  /** At least one node's glusterd answered, so `live` is known. */
  volumesKnown: boolean;
  owned: OwnedBrick[];
}

/**
 * Reads every node of the topology once (inventory: LVs with tags, mounts, fstab, Gluster's
 * volumes). Unless `tolerant`, a node that cannot be read fails the survey (unknown is not "free").
 * With `health`, the first node also reads the volume's bricks and heal counts in the same script.
 */
export async function surveyVolume(
  deps: Deps,
  v: VolumeInputs,
  tolerant = false,
  health = false,
): Promise<VolumeSurvey> {
  const inventories = new Map<string, node.NodeInventory>();
  const unreachable: string[] = [];
  const read = async (t: VolumeInputs["topology"][number]) => {
    try {
      const inv = await deps.inventory(t, {
        devices: t.devices.map((d) => d.path),
        brickRoot: v.cluster.brickRoot,
        // Cluster-wide queries: one node answers for all (volume-health.ts).
        ...(health && t === v.topology[0] ? { health: [v.name] } : {}),
      });
      inventories.set(t.manageAddress, inv);
    } catch (err) {
      unreachable.push(
        `${t.manageAddress} (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`,
      );
      if (!tolerant) throw err;
    }
  };
  if (tolerant) await Promise.all(v.topology.map(read));
  else await node.onNodes(v.topology, read);
  let live: node.GlusterVolumeInfo | undefined;
  let volumesKnown = false;
  for (const inv of inventories.values()) {
    if (inv.volumes === undefined) continue;
    volumesKnown = true;
    live ??= inv.volumes.find((x) => x.name === v.name);
  }
  return { inventories, unreachable, live, volumesKnown, owned: ownedBricks(v, inventories, live) };
}

function ownedBricks(
  v: VolumeInputs,
  inventories: Map<string, node.NodeInventory>,
  live: node.GlusterVolumeInfo | undefined,
): OwnedBrick[] {
  const tag = ownerTag(v);
  if (tag === undefined) return [];
  const liveSpecs = new Set(live?.bricks.map((b) => b.spec) ?? []);
  const out: OwnedBrick[] = [];
  for (const t of v.topology) {
    const inv = inventories.get(t.manageAddress);
    if (!inv) continue;
    for (const pool of inv.lvs) {
      const id = PATTERNS.brickId.exec(pool.tags[TAG.brick] ?? "");
      if (
        pool.kind !== "thin-pool" ||
        pool.tags[TAG.owner] !== tag ||
        pool.tags[TAG.volume] !== v.name ||
        !id
      )
        continue;
      // The device is the declared one whose volume group this is (our VG names include the cluster).
      const device = t.devices.find((d) => vgName(v.cluster.clusterId, d.path) === pool.vg)?.path;
      if (!device) continue;
      const set = Number(id[1]);
      const index = Number(id[2]);
      const lv = inv.lvs.find((l) => l.vg === pool.vg && l.kind === "thin" && l.pool === pool.name);
      const mount = brickMountPath(v.cluster.brickRoot, v.name, set, index);
      const path = brickDirPath(mount);
      const role = pool.tags[TAG.role] === "arbiter" ? "arbiter" : "data";
      out.push({
        brick: {
          id: brickId(set, index),
          node: t.manageAddress,
          storage: t.storageAddress,
          zone: t.zone,
          device,
          set,
          index,
          role,
          size: lv?.sizeBytes ?? 0,
          poolSize: pool.sizeBytes,
          metadataSize: pool.metadataBytes,
          path,
        },
        ref: { vg: pool.vg, pool: pool.name, lv: lv?.name ?? pool.name.replace(/^tp_/, "brick_"), mount },
        hasLv: lv !== undefined,
        attached: liveSpecs.has(`${t.storageAddress}:${path}`),
        extentBytes: inv.vgs.find((g) => g.name === pool.vg)?.extentBytes || 4 * 1024 * 1024,
      });
    }
  }
  return out.sort((a, b) => a.brick.set - b.brick.set || a.brick.index - b.brick.index);
}

/** Who the live volume of this name belongs to, as far as its markers and bricks tell. */
export type Claim =
  | { kind: "free" }
  /** Marked for this resource, or made by this resource's create cut before its markers. */
  | { kind: "ours" }
  /** No owner marker: made for this cluster by a version before owner markers, or adopted (import). */
  | { kind: "unowned"; who: string }
  | { kind: "foreign"; who: string };

export function claimOf(v: VolumeInputs, survey: VolumeSurvey): Claim {
  const live = survey.live;
  if (!live) return { kind: "free" };
  const owner = live.options[OWNER_OPTION];
  const managed = live.options[MANAGED_OPTION];
  if (owner !== undefined && owner !== "") {
    if (owner === v.owner) return { kind: "ours" };
    const where = managed && managed !== v.cluster.clusterId ? ` of cluster ${managed}` : "";
    return { kind: "foreign", who: `Volume resource ${owner}${where}` };
  }
  const attached = survey.owned.filter((b) => b.attached).length;
  if (
    live.bricks.length > 0 &&
    attached === live.bricks.length &&
    (!managed || managed === v.cluster.clusterId)
  )
    return { kind: "ours" };
  if (managed === v.cluster.clusterId)
    return {
      kind: "unowned",
      who: `pulumi-glusterfs for cluster ${managed}, by a version that recorded no owner (some stack's Volume made before owner markers)`,
    };
  if (managed) return { kind: "foreign", who: `pulumi-glusterfs for another cluster, ${managed}` };
  if (live.options[HEKETI_ID_OPTION] !== undefined)
    return { kind: "foreign", who: "Heketi (it is not made by pulumi-glusterfs)" };
  return { kind: "foreign", who: "nobody we know: it is not made by pulumi-glusterfs (by hand or Heketi)" };
}

/**
 * For a volume this resource already holds in state (made by it, made before owner markers, or
 * imported): the owner it is now marked for when that is someone else, else undefined.
 */
export function markedForAnother(v: VolumeInputs, survey: VolumeSurvey): string | undefined {
  const owner = survey.live?.options[OWNER_OPTION];
  return owner && owner !== v.owner ? `Volume resource ${owner}` : undefined;
}

/** The reason a create of this name is refused, or undefined when the name is free (or already ours). */
export function nameTakenReason(v: VolumeInputs, survey: VolumeSurvey): string | undefined {
  if (!survey.volumesKnown)
    return (
      `cannot tell whether volume name ${v.name} is free: glusterd answered on no node ` +
      `(${[...survey.inventories.keys()].join(", ") || "none read"}). Start glusterd and retry.`
    );
  const claim = claimOf(v, survey);
  if (claim.kind === "free" || claim.kind === "ours") return undefined;
  return (
    `volume name ${v.name} is already in use on cluster ${v.cluster.clusterId}: the volume belongs to ` +
    `${claim.who}: import it or choose another name`
  );
}

/** Bricks the live volume uses that state does not record yet (an expansion cut after add-brick). */
export function attachedUnrecorded(survey: VolumeSurvey, recorded: Brick[]): Brick[] {
  const ids = new Set(recorded.map((b) => b.id));
  return survey.owned.filter((o) => o.attached && !ids.has(o.brick.id)).map((o) => o.brick);
}

/**
 * Free space to give back to the planner, per "node|device": what this resource's own cut
 * operations took and nothing records (bricks made but never added, bricks grown but not
 * recorded). Planning as if that cut operation never ran gives the plan it was making again.
 */
export function creditsOf(survey: VolumeSurvey, fixed: Brick[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (b: Brick, bytes: number) => {
    if (bytes > 0) out.set(`${b.node}|${b.device}`, (out.get(`${b.node}|${b.device}`) ?? 0) + bytes);
  };
  const fixedById = new Map(fixed.map((b) => [b.id, b]));
  for (const o of survey.owned) {
    const rec = fixedById.get(o.brick.id);
    if (!rec || rec.node !== o.brick.node || rec.device !== o.brick.device) {
      if (!o.attached) add(o.brick, o.brick.poolSize + o.brick.metadataSize);
      continue;
    }
    // Grown beyond the record by more than LVM's rounding: a grow that was cut.
    const slack = 2 * o.extentBytes;
    if (o.brick.poolSize > rec.poolSize + slack) add(o.brick, o.brick.poolSize - rec.poolSize);
  }
  return out;
}

/** An owned brick that the plan can use as it is (same place, same size within LVM's rounding). */
export function fitsPlan(o: OwnedBrick, planned: Brick | undefined): boolean {
  if (!planned || planned.node !== o.brick.node || planned.device !== o.brick.device) return false;
  const slack = 2 * o.extentBytes;
  const near = (have: number, want: number) => have >= want && have <= want + slack;
  return near(o.brick.poolSize, planned.poolSize) && (!o.hasLv || near(o.brick.size, planned.size));
}

/**
 * Owned bricks no live volume uses, state does not record and the plan cannot use: left by a cut
 * operation, to remove. A recorded brick is never a leftover, even if the volume no longer lists it.
 */
export function leftovers(survey: VolumeSurvey, plan: Brick[], recorded: Brick[] = []): OwnedBrick[] {
  const byId = new Map(plan.map((b) => [b.id, b]));
  const kept = new Set(recorded.map((b) => `${b.node}|${b.device}|${b.id}`));
  return survey.owned.filter(
    (o) =>
      !o.attached &&
      !kept.has(`${o.brick.node}|${o.brick.device}|${o.brick.id}`) &&
      !fitsPlan(o, byId.get(o.brick.id)),
  );
}
