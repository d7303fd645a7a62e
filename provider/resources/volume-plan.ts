// Planning for the Volume handler: turn the checked inputs and the nodes' live capacity into
// the list of bricks that `check` puts into the inputs (and preview shows).
import type { Brick, VolumeInputs } from "../core/model";
import { planBrick, stateOf } from "../core/brick";
import { fromDurabilityInputs, setCapacityOf } from "../core/durability";
import { planVolume, resolveVolumeRequest } from "../core/placement";
import type { PlannedVolume, PlanResult, VolumeRequest } from "../core/placement/types";
import type { Inventory } from "../core/topology";
import { parseSize } from "../core/units";

/** The planner's request from the volume's inputs and its cluster's policy (throws ValidationError). */
export function requestOf(v: VolumeInputs): VolumeRequest {
  return resolveVolumeRequest({
    size: parseSize(v.size, "size"),
    durability: fromDurabilityInputs(v.durability),
    zoneChecking: v.zoneChecking ?? v.cluster.zoneChecking,
    snapshotFactor: v.snapshotFactor,
    ...(v.averageFileSize !== undefined
      ? { averageFileSize: parseSize(v.averageFileSize, "averageFileSize") }
      : {}),
    tagMatch: v.tagMatch.map((r) => ({ key: r.key, value: r.value, negate: r.negate ?? false })),
    ...(v.cluster.minBrickSize !== undefined ? { minBrickSize: v.cluster.minBrickSize } : {}),
    ...(v.cluster.maxBrickSize !== undefined ? { maxBrickSize: v.cluster.maxBrickSize } : {}),
    ...(v.cluster.maxBricksPerVolume !== undefined ? { maxBricks: v.cluster.maxBricksPerVolume } : {}),
    cluster: v.cluster.clusterId,
    expandMode: v.expandMode ?? v.cluster.expandMode,
  });
}

/** The bricks already made, as the planner's `existing` plan. */
export function existingPlan(v: VolumeInputs, bricks: Brick[], request: VolumeRequest): PlannedVolume {
  const sets: PlannedVolume["sets"] = [];
  for (const b of [...bricks].sort((x, y) => x.set - y.set || x.index - y.index)) {
    (sets[b.set] ??= { bricks: [] }).bricks.push({
      node: b.node,
      storage: b.storage,
      zone: b.zone,
      device: b.device,
      size: b.size,
      poolSize: b.poolSize,
      metadataSize: b.metadataSize,
      role: b.role,
    });
  }
  return { cluster: v.cluster.clusterId, durability: request.durability, sets, devices: [] };
}

/** Usable bytes of a set of bricks: what a client can store. */
export function capacityOf(bricks: Brick[], request: VolumeRequest): number {
  const bySet = new Map<number, Brick[]>();
  for (const b of bricks) bySet.set(b.set, [...(bySet.get(b.set) ?? []), b]);
  let total = 0;
  for (const set of bySet.values()) {
    total += setCapacityOf(
      request.durability,
      set.filter((b) => b.role === "data").map((b) => b.size),
    );
  }
  return total;
}

export function plan(
  v: VolumeInputs,
  inventory: Inventory,
  existing: Brick[] | undefined,
): { ok: true; bricks: Brick[]; plan: PlannedVolume } | { ok: false; error: string } {
  const request = requestOf(v);
  const result: PlanResult = planVolume(
    request,
    inventory,
    existing && existing.length > 0 ? existingPlan(v, existing, request) : undefined,
  );
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, bricks: bricksOf(v, result.plan), plan: result.plan };
}

export function bricksOf(v: VolumeInputs, planned: PlannedVolume): Brick[] {
  return planned.sets.flatMap((set, s) =>
    set.bricks.map((b, i) =>
      stateOf(
        planBrick({
          cluster: v.cluster.clusterId,
          volume: v.name,
          brickRoot: v.cluster.brickRoot,
          device: b.device,
          set: s,
          index: i,
          role: b.role,
          size: b.size,
          poolSize: b.poolSize,
          metadataSize: b.metadataSize,
        }),
        b,
      ),
    ),
  );
}
