// Brick layouts: how many sets and how large their bricks are. Unlike Heketi's generator (one set
// of the full size, then halve and double), set counts go up one at a time from the fewest the
// maximum brick size allows, so the first layout that fits has the fewest, largest bricks, and
// set counts are not limited to powers of two.
import { arbiterBrickSize, brickSpace, roundUpExtent } from "../sizing";
import type { SetSlot } from "./select";
import type { Strategy, VolumeRequest } from "./types";

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
 * Candidate layouts for `delta` usable bytes, in the order to try them. `existingBricks` count
 * against the brick limit; new bricks are kept no larger than `preferredBrick` (the existing
 * sets' size) when the limit allows.
 */
export function layouts(
  strategy: Strategy,
  request: VolumeRequest,
  delta: number,
  existingBricks: number,
  preferredBrick?: number,
): Layout[] {
  const k = strategy.roles.length;
  const m = strategy.dataMultiplier;
  const fits = (n: number) => existingBricks + n * k <= request.maxBricks;
  const fewest = Math.max(1, Math.ceil(delta / (m * request.maxBrickSize)));
  let start = fewest;
  if (preferredBrick !== undefined) {
    const even = Math.max(fewest, Math.ceil(delta / (m * preferredBrick)));
    if (fits(even)) start = even;
  }
  const out: Layout[] = [];
  let previous = Infinity;
  for (let n = start; fits(n); n++) {
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
