// planVolume: the pure, deterministic placement of one volume's bricks on an inventory.
import { ValidationError } from "../errors";
import type { Inventory, InventoryCluster } from "../topology";
import { EXTENT, roundDownExtent, roundUpExtent } from "../sizing";
import { formatSize } from "../units";
import { clusterLine, describeZones, zoneReports } from "./explain";
import { growSets } from "./grow";
import { fewestBricks, layouts, setBound, setNeeds, slotsFor, type Layout } from "./layout";
import { placeSet } from "./select";
import { ClusterState } from "./state";
import { strategyFor } from "./strategy";
import type {
  ClusterFailure,
  DeviceChange,
  PlannedBrick,
  PlannedSet,
  PlannedVolume,
  PlanResult,
  Strategy,
  VolumeRequest,
} from "./types";

type ClusterOutcome = { ok: true; plan: PlannedVolume } | { ok: false; failure: ClusterFailure };

/** Usable bytes of a set: its smallest data brick times the data bricks per set's worth. */
export function setCapacity(set: PlannedSet, strategy: Strategy): number {
  const data = set.bricks.filter((b) => b.role === "data").map((b) => b.size);
  return data.length === 0 ? 0 : Math.min(...data) * strategy.dataMultiplier;
}

export function volumeCapacity(volume: Pick<PlannedVolume, "sets">, strategy: Strategy): number {
  return volume.sets.reduce((sum, s) => sum + setCapacity(s, strategy), 0);
}

function describeRequest(strategy: Strategy, delta: number, expanding: boolean): string {
  const what = `${strategy.label} of ${formatSize(delta)}`;
  return expanding ? `${what} more` : what;
}

/**
 * Plans the bricks of a volume. Existing bricks are kept exactly; with `grow` they are enlarged
 * where their devices have room and anything left is added as new sets. Throws ValidationError
 * for requests that can never be valid here (shrinking, changing durability, unknown cluster);
 * returns `ok: false` with an explanation when the inventory has no room.
 */
export function planVolume(
  request: VolumeRequest,
  inventory: Inventory,
  existing?: PlannedVolume,
): PlanResult {
  const strategy = strategyFor(request.durability);
  let candidates: InventoryCluster[] = inventory.clusters.filter(
    (c) => c.file !== false && c.nodes.length > 0,
  );
  if (existing) {
    const before = strategyFor(existing.durability);
    if (before.label !== strategy.label) {
      throw new ValidationError(
        "durability",
        request.durability,
        `the existing volume's durability (${before.label})`,
      );
    }
    if (request.cluster !== undefined && request.cluster !== existing.cluster) {
      throw new ValidationError(
        "cluster",
        request.cluster,
        `the existing volume's cluster "${existing.cluster}"`,
      );
    }
    const capacity = volumeCapacity(existing, strategy);
    if (request.size < capacity) {
      throw new ValidationError(
        "size",
        request.size,
        `at least the existing capacity ${formatSize(capacity)} (${capacity} bytes): shrinking is refused`,
      );
    }
    const own = inventory.clusters.find((c) => c.id === existing.cluster);
    candidates = own ? [own] : [{ id: existing.cluster, nodes: [] }];
  } else if (request.cluster !== undefined) {
    const chosen = inventory.clusters.find((c) => c.id === request.cluster);
    if (!chosen) {
      throw new ValidationError(
        "cluster",
        request.cluster,
        `one of ${inventory.clusters.map((c) => `"${c.id}"`).join(", ")}`,
      );
    }
    candidates = [chosen];
  }
  const failures: ClusterFailure[] = [];
  for (const cluster of candidates) {
    const outcome = planInCluster(cluster, request, strategy, existing);
    if (outcome.ok) return outcome;
    failures.push(outcome.failure);
  }
  const delta = request.size - (existing ? volumeCapacity(existing, strategy) : 0);
  const what = describeRequest(strategy, delta, existing !== undefined);
  const error =
    failures.length === 0
      ? `cannot place ${what}: no cluster takes file volumes (clusters: ${inventory.clusters.map((c) => `"${c.id}"`).join(", ") || "none"})`
      : failures.length === 1
        ? `cannot place ${what} (${request.zoneChecking} zone checking) in ${clusterLine(failures[0]!)}`
        : `no cluster can hold ${what} (${request.zoneChecking} zone checking): ${failures.map(clusterLine).join("; ")}`;
  return {
    ok: false,
    error,
    details: {
      request: {
        size: request.size,
        durability: strategy.durability,
        zoneChecking: request.zoneChecking,
        snapshotFactor: request.snapshotFactor,
      },
      clusters: failures,
    },
  };
}

function structuralProblem(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
): string | undefined {
  const k = strategy.roles.length;
  const eligible = state.devices.filter((d) => d.eligible);
  if (state.devices.length === 0) return "it has no devices";
  if (eligible.length === 0) {
    const rules = request.tagMatch.map((r) => `${r.key}${r.negate ? "!=" : "="}${r.value}`).join(", ");
    return `no device matches the tag rules (${rules})`;
  }
  const nodes = new Set(eligible.map((d) => d.node));
  if (nodes.size < k) {
    return `a set of ${k} bricks needs ${k} nodes with eligible devices, it has ${nodes.size}`;
  }
  if (strategy.roles.includes("arbiter") && !eligible.some((d) => d.canArbiter)) {
    return "no device may take an arbiter brick (all are tagged arbiter=disabled)";
  }
  if (request.zoneChecking === "strict") {
    const zones = [...new Set([...nodes].map((n) => state.nodes[n]!.zone))].sort((a, b) => a - b);
    if (zones.length < k) {
      return `strict zone checking needs ${k} zones with eligible devices for a set of ${k} bricks, it has ${zones.length} (${zones.map((z) => `zone ${z}`).join(", ")})`;
    }
  }
  return undefined;
}

function planInCluster(
  cluster: InventoryCluster,
  request: VolumeRequest,
  strategy: Strategy,
  existing?: PlannedVolume,
): ClusterOutcome {
  const state = new ClusterState(cluster, request.tagMatch, existing);
  let grownBy = "";
  const fail = (reason: string, layout?: ClusterFailure["layout"]): ClusterOutcome => ({
    ok: false,
    failure: {
      cluster: cluster.id,
      reason: grownBy + reason,
      ...(layout ? { layout } : {}),
      zones: zoneReports(state),
    },
  });
  let sets: PlannedSet[] = existing
    ? existing.sets.map((s) => ({ bricks: s.bricks.map((b) => ({ ...b })) }))
    : [];
  const warnings = [...strategy.warnings];
  const explanation: string[] = [];
  let delta = request.size - volumeCapacity({ sets }, strategy);
  if (delta > 0 && existing && request.expandMode === "grow") {
    const grown = growSets(state, strategy, request, sets, delta);
    sets = grown.sets;
    delta -= grown.gained;
    grownBy = `growing the existing bricks gives ${formatSize(grown.gained)}, and for the remaining ${formatSize(delta)} `;
    if (grown.gained > 0) {
      explanation.push(
        `grow first: the existing bricks grow in place by ${formatSize(grown.gained)} of usable space (smallest sets first, all bricks of a set together)`,
      );
    }
    if (delta > 0) {
      warnings.push(
        `growing the existing bricks gives only ${formatSize(grown.gained)}; the remaining ${formatSize(delta)} is planned as new sets`,
      );
    }
  }
  if (delta > 0) {
    const problem = structuralProblem(state, strategy, request);
    if (problem) return fail(problem);
    const existingBricks = sets.reduce((n, s) => n + s.bricks.length, 0);
    const placed = placeNewSets(state, strategy, request, delta, existingBricks);
    if (!placed.ok) return fail(placed.reason, placed.layout);
    sets = sets.concat(placed.sets);
    explanation.push(...placed.explanation);
  } else if (existing) {
    explanation.push(
      sets.length === existing.sets.length && request.expandMode === "grow" && grownBy !== ""
        ? `growing the existing bricks in place reaches ${formatSize(request.size)}: no new set`
        : `the existing sets already give ${formatSize(request.size)}: no new set`,
    );
  }
  return { ok: true, plan: assemble(state, strategy, request, sets, warnings, explanation) };
}

function placeLayouts(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  options: Layout[],
): { ok: true; sets: PlannedSet[] } | { ok: false; reason: string; layout: ClusterFailure["layout"] } {
  const base = state.snapshot();
  const eligibleFree = state.nodeFree.reduce((a, b) => a + b, 0);
  let reason = "";
  let layout: ClusterFailure["layout"];
  for (const option of options) {
    const needs = setNeeds(option.slots);
    const data = option.slots.find((s) => s.role === "data")!.space;
    const arbiter = option.slots.find((s) => s.role === "arbiter")?.space;
    layout = {
      sets: option.sets,
      bricksPerSet: option.slots.length,
      brickSize: option.brickSize,
      brickNeeds: data.poolSize + data.metadataSize,
      ...(arbiter ? { arbiterSize: arbiter.size } : {}),
    };
    const shape =
      `${option.sets} set${option.sets === 1 ? "" : "s"} of ${option.slots.length} bricks of ${formatSize(option.brickSize)}` +
      ` (each takes ${formatSize(layout.brickNeeds)} with pool and metadata` +
      (arbiter ? `; arbiters ${formatSize(arbiter.size)}` : "") +
      ")";
    if (option.sets * needs > eligibleFree) {
      reason = `the smallest layout tried, ${shape}, needs ${formatSize(option.sets * needs)} but the eligible devices have ${formatSize(eligibleFree)} free; ${describeZones(zoneReports(state, base.free))}`;
      continue;
    }
    state.restore(base);
    const sets: PlannedSet[] = [];
    for (let s = 0; s < option.sets; s++) {
      const result = placeSet(state, option.slots, strategy.order, request.zoneChecking);
      if (!result.ok) {
        const slot = option.slots[result.position]!;
        const where =
          request.zoneChecking === "strict"
            ? "on a node and zone not yet in the set"
            : "on a node not yet in the set";
        reason =
          `the smallest layout tried, ${shape}: set ${s + 1} found no device with ${formatSize(result.needs)} free for its ${slot.role} brick ${where}` +
          ` after placing ${result.placed} of its bricks (largest such device: ${formatSize(result.largestCandidate)} free); ` +
          describeZones(zoneReports(state, base.free));
        break;
      }
      sets.push({ bricks: result.devices.map((d, i) => brickAt(state, d, option.slots[i]!)) });
    }
    if (sets.length === option.sets) return { ok: true, sets };
  }
  state.restore(base);
  return { ok: false, reason, layout };
}

function brickAt(
  state: ClusterState,
  d: number,
  slot: { role: PlannedBrick["role"]; space: { size: number; poolSize: number; metadataSize: number } },
): PlannedBrick {
  const node = state.nodes[state.devices[d]!.node]!;
  return {
    node: node.manage,
    storage: node.storage,
    zone: node.zone,
    device: state.devices[d]!.name,
    size: slot.space.size,
    poolSize: slot.space.poolSize,
    metadataSize: slot.space.metadataSize,
    role: slot.role,
  };
}

function assemble(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  sets: PlannedSet[],
  warnings: string[],
  explanation: string[],
): PlannedVolume {
  const devices: DeviceChange[] = [];
  state.devices.forEach((dev, d) => {
    if (state.free[d] !== state.freeBefore[d]) {
      devices.push({
        node: state.nodes[dev.node]!.manage,
        device: dev.name,
        freeBefore: state.freeBefore[d]!,
        freeAfter: state.free[d]!,
      });
    }
  });
  if (request.zoneChecking === "prefer") {
    sets.forEach((set, s) => {
      const zones = new Set(set.bricks.map((b) => b.zone));
      if (zones.size < set.bricks.length) {
        warnings.push(
          `set ${s + 1} has ${set.bricks.length} bricks in ${zones.size} zone${zones.size === 1 ? "" : "s"}: too few zones had room, so prefer zone checking let bricks share a zone`,
        );
      }
    });
  }
  return {
    cluster: state.id,
    durability: strategy.durability,
    size: request.size,
    capacity: volumeCapacity({ sets }, strategy),
    sets,
    devices,
    recommendations: [...strategy.recommendations],
    warnings,
    explanation,
  };
}

/** "2 sets of 3 bricks (99.4GiB, 50.6GiB)" */
function describeSets(sets: PlannedSet[], strategy: Strategy): string {
  const sizes = sets.map((s) => setCapacity(s, strategy) / strategy.dataMultiplier);
  const same = sizes.every((x) => x === sizes[0]);
  return (
    `${sets.length} set${sets.length === 1 ? "" : "s"} of ${strategy.roles.length} brick${strategy.roles.length === 1 ? "" : "s"}` +
    (same ? ` of ${formatSize(sizes[0]!)}` : ` (${sizes.map(formatSize).join(", ")})`)
  );
}

/**
 * Free space left for the next volume, as the tie-break between layouts with as many sets: each
 * zone's largest free device that may take data, summed (larger is better: a later set, or a
 * later volume, finds one large extent instead of many small ones).
 */
function largestExtents(state: ClusterState): number {
  const largest = new Map<number, number>();
  state.devices.forEach((dev, d) => {
    if (!state.canHold(d, "data")) return;
    const zone = state.nodes[dev.node]!.zone;
    largest.set(zone, Math.max(largest.get(zone) ?? 0, state.free[d]!));
  });
  let sum = 0;
  for (const v of largest.values()) sum += v;
  return sum;
}

/** Places one set of data bricks of `size`; on failure the state is as before. */
function trySet(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  size: number,
  keep: boolean,
): PlannedSet | undefined {
  const before = state.snapshot();
  const slots = slotsFor(strategy, request, size);
  const result = placeSet(state, slots, strategy.order, request.zoneChecking);
  if (!result.ok || !keep) state.restore(before);
  if (!result.ok) return undefined;
  return { bricks: result.devices.map((d, i) => brickAt(state, d, slots[i]!)) };
}

type NewSets =
  | { ok: true; sets: PlannedSet[]; explanation: string[] }
  | { ok: false; reason: string; layout?: ClusterFailure["layout"] };

/**
 * New sets for `delta` under the request's zone checking. With `prefer`, the sets strict zone
 * checking would make (by either method below) win whenever they are as few: prefer only lets
 * bricks share a zone when that saves sets or is the only way.
 */
function placeNewSets(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  delta: number,
  existingBricks: number,
): NewSets {
  if (request.zoneChecking !== "prefer")
    return placeNewSetsAs(state, strategy, request, delta, existingBricks);
  const base = state.snapshot();
  const strict = placeNewSetsAs(
    state,
    strategy,
    { ...request, zoneChecking: "strict" },
    delta,
    existingBricks,
  );
  const afterStrict = state.snapshot();
  state.restore(base);
  const prefer = placeNewSetsAs(state, strategy, request, delta, existingBricks);
  if (strict.ok && (!prefer.ok || strict.sets.length <= prefer.sets.length)) {
    state.restore(afterStrict);
    return strict;
  }
  return prefer;
}

/**
 * Sets as large as the devices allow (placeMixedSets); when those do not reach `delta` within the
 * brick limit, equal sets, the fewest that fit (placeLayouts), or the reason neither does.
 */
function placeNewSetsAs(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  delta: number,
  existingBricks: number,
): NewSets {
  const mixed = placeMixedSets(state, strategy, request, delta, existingBricks);
  if (mixed) return { ok: true, ...mixed };
  const options = layouts(strategy, request, delta, existingBricks);
  if (options.length === 0) {
    const needed = fewestBricks(strategy, request, delta);
    return {
      ok: false,
      reason:
        `${formatSize(delta)} needs at least ${needed} bricks of at most ${formatSize(request.maxBrickSize)}` +
        (existingBricks > 0 ? ` besides the ${existingBricks} existing ones` : "") +
        `, more than the limit of ${request.maxBricks} bricks per volume`,
    };
  }
  const placed = placeLayouts(state, strategy, request, options);
  if (!placed.ok) return placed;
  return {
    ok: true,
    sets: placed.sets,
    explanation: [
      `${describeSets(placed.sets, strategy)}: sets of the largest bricks the devices allowed did not reach ${formatSize(delta)} ` +
        `within the limit of ${request.maxBricks} bricks, so equal sets, the fewest that fit`,
    ],
  };
}

/**
 * New sets for `delta` usable bytes, each as large as the devices allow (at most what is still
 * needed, within the brick size limits), so sets may differ in size and as few as possible are
 * added. When an equal split into as many sets also fits, the one leaving the larger free extents
 * wins. Undefined when this does not reach `delta` within the brick limit (the caller then tries
 * equal layouts and explains the refusal); the state is then as before.
 */
function placeMixedSets(
  state: ClusterState,
  strategy: Strategy,
  request: VolumeRequest,
  delta: number,
  existingBricks: number,
): { sets: PlannedSet[]; explanation: string[] } | undefined {
  const m = strategy.dataMultiplier;
  const k = strategy.roles.length;
  const dataBricks = strategy.roles.filter((r) => r === "data").length;
  const minBrick = roundUpExtent(request.minBrickSize);
  const maxBrick = roundDownExtent(request.maxBrickSize);
  const budget = Math.floor((request.maxBricks - existingBricks) / k);
  if (minBrick > maxBrick || budget < 1) return undefined;
  const base = state.snapshot();
  const sets: PlannedSet[] = [];
  let limited = false;
  let remaining = delta;
  while (remaining > 0) {
    if (sets.length >= budget) {
      state.restore(base);
      return undefined;
    }
    const want = Math.min(maxBrick, Math.max(minBrick, roundUpExtent(Math.ceil(remaining / m))));
    const largest = Math.min(
      maxBrick,
      setBound(state, dataBricks, request.zoneChecking, request.snapshotFactor),
    );
    const bound = Math.min(want, largest);
    // No later set can be larger than this one's bound (space only shrinks): give up early when
    // even that many sets of it fall short.
    if (bound < minBrick || largest * m * (budget - sets.length) < remaining) {
      state.restore(base);
      return undefined;
    }
    let set = trySet(state, strategy, request, bound, true);
    if (!set) {
      // The bound ignores the pool-metadata spare, arbiters and dedicated devices: search below it.
      let lo = minBrick / EXTENT;
      let hi = bound / EXTENT - 1;
      let best = 0;
      while (lo <= hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (trySet(state, strategy, request, mid * EXTENT, false)) {
          best = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      set = best > 0 ? trySet(state, strategy, request, best * EXTENT, true) : undefined;
      if (!set) {
        state.restore(base);
        return undefined;
      }
    }
    const size = setCapacity(set, strategy) / m;
    if (size < want) limited = true;
    sets.push(set);
    remaining -= size * m;
  }
  const explanation = [
    `${describeSets(sets, strategy)}: the fewest sets that reach ${formatSize(delta)}` +
      (limited
        ? `; each set's bricks are as large as the free devices allowed (at most the size still needed), so sets differ in size`
        : sets.length > 1
          ? `; bricks are at most the maximum brick size (${formatSize(request.maxBrickSize)})`
          : ""),
  ];
  if (sets.length > 1 && limited) {
    // As many sets of equal size, for the least fragmented free space.
    const mixed = state.snapshot();
    const mixedScore = largestExtents(state);
    state.restore(base);
    const size = Math.max(minBrick, roundUpExtent(Math.ceil(delta / (sets.length * m))));
    const equal: PlannedSet[] = [];
    while (size <= maxBrick && equal.length < sets.length) {
      const set = trySet(state, strategy, request, size, true);
      if (!set) break;
      equal.push(set);
    }
    const equalScore = equal.length === sets.length ? largestExtents(state) : -1;
    if (equalScore > mixedScore) {
      explanation.push(
        `${describeSets(equal, strategy)} of equal size also fit and leave larger free extents (each zone's largest free device, summed: ${formatSize(equalScore)} against ${formatSize(mixedScore)}): chosen`,
      );
      return { sets: equal, explanation };
    }
    state.restore(mixed);
    explanation.push(
      equalScore < 0
        ? `${sets.length} sets of equal size do not fit`
        : `${sets.length} sets of equal size also fit but leave smaller free extents (each zone's largest free device, summed: ${formatSize(equalScore)} against ${formatSize(mixedScore)})`,
    );
  }
  return { sets, explanation };
}
