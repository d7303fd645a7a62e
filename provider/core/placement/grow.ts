// Expansion by growing existing bricks in place (lvextend of pool, metadata and thin LV, then
// xfs_growfs), as GD2 did. All data bricks of a set grow together; sets are levelled up from the
// smallest (water filling), so growing also evens out a volume whose sets differ in size. A set
// stops growing when one of its devices has no room left or at the maximum brick size; whatever
// cannot be had by growing is left to new sets.
import { arbiterBrickSize, brickSpace, EXTENT, roundDownExtent } from "../sizing";
import type { ClusterState } from "./state";
import type { PlannedBrick, PlannedSet, Strategy, VolumeRequest } from "./types";

interface SetInfo {
  /** Smallest data brick: the set's usable size per data brick. */
  base: number;
  /** Device index of each brick, or undefined when the device is unknown (the set cannot grow). */
  devices: Array<number | undefined>;
  /** Level the set is held at, once it can grow no further. */
  frozen?: number;
}

function grownBrick(brick: PlannedBrick, target: number, request: VolumeRequest): PlannedBrick {
  const size =
    brick.role === "arbiter"
      ? Math.max(brick.size, arbiterBrickSize(target, request.averageFileSize))
      : Math.max(brick.size, target);
  if (size === brick.size) return brick;
  const space = brickSpace(size, request.snapshotFactor);
  return {
    ...brick,
    size: space.size,
    poolSize: Math.max(brick.poolSize, space.poolSize),
    metadataSize: Math.max(brick.metadataSize, space.metadataSize),
  };
}

/** Extra bytes each device must give to grow `sets` to `targets`; undefined means no room. */
function extraCosts(
  state: ClusterState,
  sets: PlannedSet[],
  infos: SetInfo[],
  targets: number[],
  request: VolumeRequest,
): Map<number, number> {
  const extra = new Map<number, number>();
  const spare = new Map<number, number>();
  sets.forEach((set, s) => {
    if (targets[s]! <= infos[s]!.base) return;
    set.bricks.forEach((brick, i) => {
      const d = infos[s]!.devices[i]!;
      const grown = grownBrick(brick, targets[s]!, request);
      const cost = grown.poolSize - brick.poolSize + grown.metadataSize - brick.metadataSize;
      extra.set(d, (extra.get(d) ?? 0) + cost);
      spare.set(d, Math.max(spare.get(d) ?? 0, grown.metadataSize));
    });
  });
  for (const [d, meta] of spare) extra.set(d, extra.get(d)! + Math.max(0, meta - state.spare[d]!));
  return extra;
}

export function growSets(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  sets: PlannedSet[],
  delta: number,
): { sets: PlannedSet[]; gained: number } {
  const m = strategy.dataMultiplier;
  const cap = roundDownExtent(request.maxBrickSize);
  const infos: SetInfo[] = sets.map((set) => {
    const data = set.bricks.filter((b) => b.role === "data").map((b) => b.size);
    const devices = set.bricks.map((b) => state.deviceAt(b.node, b.device));
    const info: SetInfo = { base: Math.min(...data), devices };
    if (devices.some((d) => d === undefined) || info.base >= cap) info.frozen = info.base;
    return info;
  });
  const targetsAt = (level: number) => infos.map((i) => i.frozen ?? Math.min(cap, Math.max(i.base, level)));
  const gainAt = (level: number) => targetsAt(level).reduce((sum, t, s) => sum + (t - infos[s]!.base) * m, 0);
  const overfull = (level: number) => {
    const out: number[] = [];
    for (const [d, cost] of extraCosts(state, sets, infos, targetsAt(level), request)) {
      if (cost > state.free[d]!) out.push(d);
    }
    return out;
  };
  const low = Math.min(...infos.map((i) => i.base));
  // Smallest extent-aligned level reaching `delta`, or the cap.
  const levelFor = () => {
    let lo = Math.floor(low / EXTENT);
    let hi = Math.floor(cap / EXTENT);
    if (gainAt(hi * EXTENT) < delta) return hi * EXTENT;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (gainAt(mid * EXTENT) >= delta) hi = mid;
      else lo = mid + 1;
    }
    return lo * EXTENT;
  };
  let level = levelFor();
  for (let round = 0; round <= sets.length && infos.some((i) => i.frozen === undefined); round++) {
    level = levelFor();
    if (overfull(level).length === 0) break;
    // Highest level that still fits, then freeze the sets on the devices that run out just above it.
    let lo = Math.floor(low / EXTENT);
    let hi = Math.floor(level / EXTENT) - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (overfull(mid * EXTENT).length === 0) lo = mid;
      else hi = mid - 1;
    }
    const fits = lo * EXTENT;
    const blocked = new Set(overfull(fits + EXTENT));
    const targets = targetsAt(fits);
    infos.forEach((info, s) => {
      if (info.frozen === undefined && info.devices.some((d) => blocked.has(d!))) info.frozen = targets[s]!;
    });
    level = fits;
  }
  const targets = targetsAt(level);
  if (overfull(level).length > 0) return { sets, gained: 0 };
  for (const [d, cost] of extraCosts(state, sets, infos, targets, request)) {
    state.free[d]! -= cost;
  }
  const grown = sets.map((set, s) =>
    targets[s]! > infos[s]!.base
      ? { bricks: set.bricks.map((b) => grownBrick(b, targets[s]!, request)) }
      : set,
  );
  grown.forEach((set) =>
    set.bricks.forEach((b) => {
      const d = state.deviceAt(b.node, b.device);
      if (d !== undefined) state.spare[d] = Math.max(state.spare[d]!, b.metadataSize);
    }),
  );
  state.recount();
  return { sets: grown, gained: gainAt(level) };
}
