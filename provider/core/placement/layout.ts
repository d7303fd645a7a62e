// Brick layouts: how many sets and how large their bricks are. The planner first sizes each new
// set by what the devices can take (setBound, then placement decides); equal layouts are its
// fallback and its explanation when nothing fits. Unlike Heketi's generator (one set of the full
// size, then halve and double), equal layouts go up one set at a time from the fewest the maximum
// brick size allows, so set counts are not limited to powers of two.
import { arbiterBrickSize, brickSpace, EXTENT, roundUpExtent } from "../sizing";
import type { SetSlot } from "./select";
import type { ClusterState } from "./state";
import type { Strategy, VolumeRequest, ZoneChecking } from "./types";

export interface Layout {
  sets: number;
  brickSize: number;
  slots: SetSlot[];
}

export function slotsFor(strategy: Strategy, request: VolumeRequest, dataSize: number): SetSlot[] {
  const data = brickSpace(dataSize, request.snapshotFactor);
  const arbiter = brickSpace(arbiterBrickSize(data.size, request.averageFileSize), request.snapshotFactor);
  return strategy.roles.map((role) => ({ role, space: role === "arbiter" ? arbiter : data }));
}

/** Bytes a whole set takes from its devices (without pool-metadata spares). */
export function setNeeds(slots: SetSlot[]): number {
  return slots.reduce((sum, s) => sum + s.space.poolSize + s.space.metadataSize, 0);
}

/**
 * Candidate equal layouts for `delta` usable bytes, in the order to try them. `existingBricks`
 * count against the brick limit.
 */
export function layouts(
  strategy: Strategy,
  request: VolumeRequest,
  delta: number,
  existingBricks: number,
): Layout[] {
  const k = strategy.roles.length;
  const m = strategy.dataMultiplier;
  const fits = (n: number) => existingBricks + n * k <= request.maxBricks;
  const fewest = Math.max(1, Math.ceil(delta / (m * request.maxBrickSize)));
  const out: Layout[] = [];
  let previous = Infinity;
  for (let n = fewest; fits(n); n++) {
    const brickSize = Math.max(request.minBrickSize, roundUpExtent(Math.ceil(delta / (n * m))));
    if (brickSize > request.maxBrickSize) continue;
    if (brickSize >= previous) break;
    previous = brickSize;
    out.push({ sets: n, brickSize, slots: slotsFor(strategy, request, brickSize) });
  }
  return out;
}

/** The fewest bricks `delta` needs under the maximum brick size. */
export function fewestBricks(strategy: Strategy, request: VolumeRequest, delta: number): number {
  return (
    Math.max(1, Math.ceil(delta / (strategy.dataMultiplier * request.maxBrickSize))) * strategy.roles.length
  );
}

/**
 * The largest extent-aligned data brick whose thin pool and metadata fit in `free` bytes (the
 * pool-metadata spare is left out, so this is an upper bound), or 0.
 */
export function largestBrickIn(free: number, snapshotFactor: number): number {
  let lo = 0;
  let hi = Math.floor(free / EXTENT);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const space = brickSpace(mid * EXTENT, snapshotFactor);
    if (space.poolSize + space.metadataSize <= free) lo = mid;
    else hi = mid - 1;
  }
  return lo * EXTENT;
}

/**
 * An upper bound on the data brick size of one more set: its data bricks need that many distinct
 * nodes (distinct zones under strict), so no set can have bricks larger than the n-th largest of
 * the per-node (per-zone) largest free data device allows.
 */
export function setBound(
  state: ClusterState,
  dataBricks: number,
  zoneChecking: ZoneChecking,
  snapshotFactor: number,
): number {
  const largest = new Map<number, number>();
  state.devices.forEach((dev, d) => {
    if (!state.canHold(d, "data")) return;
    const key = zoneChecking === "strict" ? state.nodes[dev.node]!.zone : dev.node;
    const free = state.free[d]!;
    if (free > (largest.get(key) ?? -1)) largest.set(key, free);
  });
  const values = [...largest.values()].sort((a, b) => b - a);
  return values.length < dataBricks ? 0 : largestBrickIn(values[dataBricks - 1]!, snapshotFactor);
}
