// Shared by the placement tests: small inventories, requests, applying a plan to an inventory,
// and an independent check of every invariant a plan must satisfy.
import { resolveVolumeRequest, type VolumeRequestInput } from "../../provider/core/placement/request";
import type { PlannedVolume, VolumeRequest } from "../../provider/core/placement/types";
import type { Inventory, InventoryNode } from "../../provider/core/topology";
import { matchesRules } from "../../provider/core/placement/state";
import { strategyFor } from "../../provider/core/placement/strategy";
import { GiB } from "../../provider/core/units";

export interface NodeSpec {
  name?: string;
  zone: number;
  /** Free bytes per device. */
  devices: number[];
  tags?: Record<string, string>;
  deviceTags?: Array<Record<string, string>>;
}

export function nodesOf(specs: NodeSpec[], prefix = "node"): InventoryNode[] {
  return specs.map((s, i) => ({
    manage: s.name ?? `${prefix}-${String(i + 1).padStart(3, "0")}`,
    storage: `${s.name ?? `${prefix}-${i + 1}`}.storage`,
    zone: s.zone,
    tags: s.tags ?? {},
    devices: s.devices.map((free, d) => ({
      name: `/dev/sd${String.fromCharCode(98 + d)}`,
      size: free,
      free,
      tags: s.deviceTags?.[d] ?? {},
    })),
  }));
}

export function inventoryOf(specs: NodeSpec[], id = "c1"): Inventory {
  return { clusters: [{ id, nodes: nodesOf(specs) }] };
}

/** n nodes spread round-robin over `zones` zones, each with the given device sizes. */
export function uniform(n: number, zones: number, devices: number[]): Inventory {
  return inventoryOf(Array.from({ length: n }, (_, i) => ({ zone: (i % zones) + 1, devices })));
}

export function req(input: Partial<VolumeRequestInput> & { size: number | string }): VolumeRequest {
  return resolveVolumeRequest(input);
}

/** The inventory after the plan's devices lose what the plan takes. */
export function apply(inventory: Inventory, plan: PlannedVolume): Inventory {
  const after = new Map(plan.devices.map((d) => [`${d.node}|${d.device}`, d.freeAfter]));
  return {
    clusters: inventory.clusters.map((c) => ({
      ...c,
      nodes: c.nodes.map((n) => ({
        ...n,
        devices: n.devices.map((d) => {
          const free = after.get(`${n.manage}|${d.name}`);
          if (free === undefined || c.id !== plan.cluster) return d;
          const metas = plan.sets
            .flatMap((s) => s.bricks)
            .filter((b) => b.node === n.manage && b.device === d.name);
          return { ...d, free, spare: Math.max(d.spare ?? 0, ...metas.map((b) => b.metadataSize)) };
        }),
      })),
    })),
  };
}

const key = (node: string, device: string) => `${node}|${device}`;

/** Every invariant of a successful plan; returns the list of violations (empty when sound). */
export function violations(
  plan: PlannedVolume,
  inventory: Inventory,
  request: VolumeRequest,
  existing?: PlannedVolume,
): string[] {
  const out: string[] = [];
  const strategy = strategyFor(request.durability);
  const cluster = inventory.clusters.find((c) => c.id === plan.cluster);
  if (!cluster) return [`unknown cluster ${plan.cluster}`];
  const devices = new Map<
    string,
    { free: number; spare: number; tags: Record<string, string>; zone: number }
  >();
  for (const n of cluster.nodes) {
    for (const d of n.devices) {
      devices.set(key(n.manage, d.name), {
        free: d.free,
        spare: d.spare ?? 0,
        tags: { ...n.tags, ...d.tags },
        zone: n.zone,
      });
    }
  }
  const existingBricks = new Set(
    (existing?.sets ?? []).flatMap((s) => s.bricks).map((b) => JSON.stringify(b)),
  );
  for (const b of (existing?.sets ?? []).flatMap((s) => s.bricks)) {
    const dev = devices.get(key(b.node, b.device));
    if (dev) dev.spare = Math.max(dev.spare, b.metadataSize);
  }
  const used = new Map<string, { cost: number; meta: number }>();
  let capacity = 0;
  plan.sets.forEach((set, s) => {
    if (set.bricks.length !== strategy.roles.length) out.push(`set ${s} has ${set.bricks.length} bricks`);
    const nodes = new Set(set.bricks.map((b) => b.node));
    if (nodes.size !== set.bricks.length) out.push(`set ${s} has two bricks on one node`);
    const zones = new Set(set.bricks.map((b) => b.zone));
    if (request.zoneChecking === "strict" && zones.size !== set.bricks.length)
      out.push(`set ${s} repeats a zone`);
    set.bricks.forEach((b, i) => {
      if (b.role !== strategy.roles[i]) out.push(`set ${s} brick ${i} has role ${b.role}`);
      const dev = devices.get(key(b.node, b.device));
      const isExisting = existingBricks.has(JSON.stringify(b));
      if (!dev) {
        if (!isExisting) out.push(`set ${s} brick ${i} on unknown device ${b.node}:${b.device}`);
        return;
      }
      if (b.zone !== dev.zone) out.push(`set ${s} brick ${i} has the wrong zone`);
      if (isExisting) return;
      if (!matchesRules(dev.tags, request.tagMatch)) out.push(`set ${s} brick ${i} breaks the tag rules`);
      if (b.role === "arbiter" && dev.tags["arbiter"] === "disabled")
        out.push(`arbiter on a data-only device`);
      if (b.role === "data" && dev.tags["arbiter"] === "required") out.push(`data on an arbiter-only device`);
      if (b.role === "data" && (b.size < request.minBrickSize || b.size > request.maxBrickSize)) {
        out.push(`set ${s} brick ${i} size ${b.size} outside the limits`);
      }
      if (b.poolSize < b.size * request.snapshotFactor)
        out.push(`set ${s} brick ${i} pool below the snapshot factor`);
      const u = used.get(key(b.node, b.device)) ?? { cost: 0, meta: 0 };
      used.set(key(b.node, b.device), {
        cost: u.cost + b.poolSize + b.metadataSize,
        meta: Math.max(u.meta, b.metadataSize),
      });
    });
    const data = set.bricks.filter((b) => b.role === "data").map((b) => b.size);
    if (new Set(data).size !== 1) out.push(`set ${s} data bricks differ in size`);
    if (set.bricks.some((b) => b.role === "arbiter" && b.size > data[0]!))
      out.push(`set ${s} arbiter larger than data`);
    capacity += Math.min(...data) * strategy.dataMultiplier;
  });
  if (capacity < request.size) out.push(`capacity ${capacity} below the request ${request.size}`);
  const bricks = plan.sets.reduce((n, s) => n + s.bricks.length, 0);
  if (bricks > Math.max(request.maxBricks, existingBricks.size)) out.push(`${bricks} bricks over the limit`);
  const changes = new Map(plan.devices.map((d) => [key(d.node, d.device), d]));
  for (const [k, u] of used) {
    const dev = devices.get(k)!;
    const cost = u.cost + Math.max(0, u.meta - dev.spare);
    if (cost > dev.free) out.push(`device ${k} overcommitted: ${cost} > ${dev.free}`);
    const change = changes.get(k);
    if (!existing && (!change || change.freeBefore !== dev.free || change.freeAfter !== dev.free - cost)) {
      out.push(`device ${k} change ${JSON.stringify(change)} does not match cost ${cost}`);
    }
  }
  for (const c of plan.devices) {
    if (c.freeAfter < 0) out.push(`device ${c.node}:${c.device} goes below zero`);
  }
  return out;
}

export const TiBytes = 1024 * GiB;
