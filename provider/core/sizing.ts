// How LVM will take space for a brick: one thin pool (data + metadata) and one thin LV per brick,
// in a volume group of 4 MiB extents, plus the pool-metadata spare LVM keeps once per volume group.
// The planner debits exactly these numbers, so a plan never fails later for lack of extents.
import { KiB, MiB } from "./units";

/** LVM physical extent size of the volume groups we create (vgcreate's default). */
export const EXTENT = 4 * MiB;
/** Thin-pool metadata is about 0.5 % of the pool (RHGS brick configuration guidance). */
export const METADATA_RATIO = 0.005;
/** LVM's smallest thin-pool metadata LV is 2 MiB (lvmthin(7)); one extent covers it. */
export const METADATA_MIN = 2 * MiB;
/**
 * Thin-pool metadata cap: 16192 MiB (15.81 GiB). lvmthin(7) allows "2 MiB to approximately 16 GiB";
 * LVM releases before 2.03.12 crop every request to 15.81 GiB (16192 MiB, still LVM's cropped size
 * with `thin_pool_crop_metadata=1`), later ones take up to about 15.88 GiB, and dm-thin ignores
 * anything past 15.9375 GiB. 16192 MiB is the largest size every LVM we may meet allocates
 * exactly as asked, and a whole number of 4 MiB extents, so the planner's accounting equals what
 * LVM allocates. Asking for 16 GiB (Heketi, glusterd2) only earns warnings or cropping.
 * This is the one metadata rule: the planner records `metadataFor`'s number in each brick and the
 * node's lvcreate receives that number.
 */
export const METADATA_MAX = 16192 * MiB;
/**
 * The smallest filesystem modern mkfs.xfs (xfsprogs 6.x) accepts is 300 MiB; older releases went
 * down to 16 MiB, which is what Heketi assumed. Arbiter bricks and the minimum brick size are
 * floored here so no brick is ever refused by mkfs.
 */
export const XFS_MIN_SIZE = 300 * MiB;
/** Metadata an arbiter brick holds per expected file (Gluster and RHGS sizing guidance). */
export const ARBITER_BYTES_PER_FILE = 4 * KiB;
/**
 * Space at the start of a device that is not in the volume group: the 128 MiB LVM metadata area
 * (`pvcreate --metadatasize 128M`) plus label and data alignment, rounded up to 129 MiB.
 */
export const PV_RESERVED = 129 * MiB;

export function roundUpExtent(bytes: number): number {
  return Math.ceil(bytes / EXTENT) * EXTENT;
}

export function roundDownExtent(bytes: number): number {
  return Math.max(0, Math.floor(bytes / EXTENT) * EXTENT);
}

/** Extents a fresh volume group on a raw device of `size` bytes offers. */
export function usableDeviceSize(size: number): number {
  return roundDownExtent(size - PV_RESERVED);
}

export interface BrickSpace {
  /** The thin LV, i.e. the brick filesystem, in bytes. */
  size: number;
  /** The thin pool's data LV, including the snapshot reserve. */
  poolSize: number;
  /** The thin pool's metadata LV. */
  metadataSize: number;
}

/** Thin-pool metadata LV size for a pool of `poolSize` bytes. */
export function metadataFor(poolSize: number): number {
  const wanted = Math.min(METADATA_MAX, Math.max(METADATA_MIN, Math.ceil(poolSize * METADATA_RATIO)));
  return roundUpExtent(wanted);
}

/** The LVs a brick of (at least) `size` bytes takes with the given snapshot factor. */
export function brickSpace(size: number, snapshotFactor: number): BrickSpace {
  const lv = roundUpExtent(size);
  const poolSize = roundUpExtent(Math.ceil(lv * snapshotFactor));
  return { size: lv, poolSize, metadataSize: metadataFor(poolSize) };
}

/**
 * Extents a new brick takes from a volume group whose pool-metadata spare is currently `spare`
 * bytes: the pool, its metadata, and the growth of the spare (LVM keeps one spare as large as the
 * largest pool metadata in the group).
 */
export function brickCost(space: BrickSpace, spare: number): number {
  return space.poolSize + space.metadataSize + Math.max(0, space.metadataSize - spare);
}

/**
 * Arbiter brick size for data bricks of `dataBrickSize`: 4 KiB per expected file (data brick size
 * divided by the average file size), never below the smallest XFS mkfs accepts, never above the
 * data brick itself.
 */
export function arbiterBrickSize(dataBrickSize: number, averageFileSize: number): number {
  const files = Math.ceil(dataBrickSize / averageFileSize);
  const wanted = Math.min(dataBrickSize, files * ARBITER_BYTES_PER_FILE);
  return roundUpExtent(Math.max(XFS_MIN_SIZE, wanted));
}
