// The one brick record: everything a node needs to make, grow or remove a brick, planned once
// here and only read by the executors (provider/node's brick builders), as glusterd2's BrickReq.
// State keeps today's fields (model.ts `brickSchema`); the rest of the record follows from them
// by the fixed naming rules of names.ts, and the mount from the recorded `path`, never from the
// cluster's brick root as it is now: a brick stays where it was made.
import type { Brick } from "./model";
import {
  assertBrickPath,
  type BrickRole,
  brickDirPath,
  brickId,
  brickLvName,
  brickMountPath,
  lvDevicePath,
  thinPoolName,
  vgName,
} from "./names";
import { ValidationError } from "./errors";
import { metadataFor } from "./sizing";

export interface BrickRecord {
  cluster: string;
  volume: string;
  /** The device whose volume group holds the brick. */
  device: string;
  set: number;
  index: number;
  role: BrickRole;
  /** Thin LV (the filesystem) in bytes. */
  size: number;
  /** Thin pool data LV in bytes (the snapshot reserve included). */
  poolSize: number;
  /** Thin pool metadata LV in bytes (sizing.ts `metadataFor`). */
  metadataSize: number;
  vg: string;
  pool: string;
  lv: string;
  /** Where the brick's filesystem is mounted. */
  mount: string;
  /** The brick directory Gluster is given (`host:path`): one level below the mount. */
  path: string;
  /** /dev/<vg>/<lv>, as fstab names it. */
  lvDevice: string;
}

export interface BrickPlacement {
  cluster: string;
  volume: string;
  brickRoot: string;
  device: string;
  set: number;
  index: number;
  role: BrickRole;
  size: number;
  /** Default: `size` (no snapshot reserve). */
  poolSize?: number;
  /** Default: `metadataFor(poolSize)`. */
  metadataSize?: number;
}

/** A new brick's record: names from cluster, device, volume, set and index; mount under the brick root. */
export function planBrick(p: BrickPlacement): BrickRecord {
  const poolSize = p.poolSize ?? p.size;
  const mount = brickMountPath(p.brickRoot, p.volume, p.set, p.index);
  return located(p.cluster, p.volume, {
    device: p.device,
    set: p.set,
    index: p.index,
    role: p.role,
    size: p.size,
    poolSize,
    metadataSize: p.metadataSize ?? metadataFor(poolSize),
    mount,
    path: brickDirPath(mount),
  });
}

/** The record of a brick state holds: the mount is the recorded path's parent. */
export function brickRecord(cluster: string, volume: string, b: Brick): BrickRecord {
  const path = assertBrickPath(b.path);
  if (!path.endsWith("/brick"))
    throw new ValidationError(
      "bricks.path",
      path,
      "a brick directory <mount>/brick, as the planner records it",
    );
  return located(cluster, volume, { ...b, mount: path.slice(0, -"/brick".length), path });
}

function located(
  cluster: string,
  volume: string,
  b: Pick<
    BrickRecord,
    "device" | "set" | "index" | "role" | "size" | "poolSize" | "metadataSize" | "mount" | "path"
  >,
): BrickRecord {
  const vg = vgName(cluster, b.device);
  const lv = brickLvName(volume, b.set, b.index);
  return {
    cluster,
    volume,
    device: b.device,
    set: b.set,
    index: b.index,
    role: b.role,
    size: b.size,
    poolSize: b.poolSize,
    metadataSize: b.metadataSize,
    vg,
    pool: thinPoolName(volume, b.set, b.index),
    lv,
    mount: b.mount,
    path: b.path,
    lvDevice: lvDevicePath(vg, lv),
  };
}

/** What state records of a planned brick (the output fields of today's stacks, unchanged). */
export function stateOf(r: BrickRecord, at: { node: string; storage: string; zone: number }): Brick {
  return {
    id: brickId(r.set, r.index),
    node: at.node,
    storage: at.storage,
    zone: at.zone,
    device: r.device,
    set: r.set,
    index: r.index,
    role: r.role,
    size: r.size,
    poolSize: r.poolSize,
    metadataSize: r.metadataSize,
    path: r.path,
  };
}
