// Placement benchmark: how long one plan takes on 10, 100 and 1,000 nodes of 12 devices, and how
// much of a mixed-size cluster's raw capacity random volume requests fill before they stop
// fitting. Targets: under 50 ms per plan at 1,000 x 12; at least 97 % of raw capacity used.
// The only randomness is a seeded PRNG here in the benchmark; the planner has none.
import { performance } from "node:perf_hooks";
import { planVolume, resolveVolumeRequest, type VolumeRequestInput } from "../provider/core/placement";
import type { PlannedVolume } from "../provider/core/placement";
import { usableDeviceSize } from "../provider/core/sizing";
import type { Inventory } from "../provider/core/topology";
import { formatSize, GiB, TiB } from "../provider/core/units";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Decimal "TB" disks as vendors sell them, so nothing divides evenly.
const DISKS_TB = [1, 2, 4, 6, 8, 10, 12, 16];

function topology(nodes: number, zones: number, devices: number, seed: number): Inventory {
  const random = mulberry32(seed);
  return {
    clusters: [
      {
        id: "bench",
        nodes: Array.from({ length: nodes }, (_, i) => ({
          manage: `node-${String(i).padStart(4, "0")}`,
          storage: `10.${i >> 8}.${i & 255}.1`,
          zone: (i % zones) + 1,
          tags: {},
          devices: Array.from({ length: devices }, (_, d) => {
            const size = DISKS_TB[Math.floor(random() * DISKS_TB.length)]! * 1e12;
            return {
              name: `/dev/sd${String.fromCharCode(97 + d)}`,
              size,
              free: usableDeviceSize(size),
              tags: {},
            };
          }),
        })),
      },
    ],
  };
}

function applyPlan(inventory: Inventory, plan: PlannedVolume): void {
  const after = new Map(plan.devices.map((d) => [`${d.node}|${d.device}`, d.freeAfter]));
  const meta = new Map<string, number>();
  for (const b of plan.sets.flatMap((s) => s.bricks)) {
    const k = `${b.node}|${b.device}`;
    meta.set(k, Math.max(meta.get(k) ?? 0, b.metadataSize));
  }
  for (const n of inventory.clusters[0]!.nodes) {
    for (const d of n.devices) {
      const k = `${n.manage}|${d.name}`;
      const free = after.get(k);
      if (free !== undefined) {
        d.free = free;
        d.spare = Math.max(d.spare ?? 0, meta.get(k) ?? 0);
      }
    }
  }
}

function timePlans(nodes: number): void {
  const zones = nodes <= 10 ? 3 : 10;
  const inventory = topology(nodes, zones, 12, 42);
  const requests: Array<[string, VolumeRequestInput]> = [
    ["replicate 3, 1 TiB", { size: TiB }],
    ["replicate 3, 20 TiB", { size: 20 * TiB }],
    ["arbiter, 10 TiB", { size: 10 * TiB, durability: { arbiter: true } }],
    [
      "disperse 4+2, 40 TiB",
      { size: 40 * TiB, durability: { type: "disperse", data: 4, redundancy: 2 }, zoneChecking: "prefer" },
    ],
    ["replicate 3, 40 TiB (10 sets)", { size: 40 * TiB }],
    ["no room: 2 sets of 15 TiB bricks", { size: 30 * TiB, maxBrickSize: 16 * TiB, maxBricks: 6 }],
  ];
  for (const [label, input] of requests) {
    const request = resolveVolumeRequest(input);
    planVolume(request, inventory);
    const runs = nodes >= 1000 ? 20 : 100;
    const times: number[] = [];
    let ok = false;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      ok = planVolume(request, inventory).ok;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `plan ${String(nodes).padStart(4)} nodes x 12 devices, ${label.padEnd(32)} ${ok ? "placed " : "no room"}  mean ${mean.toFixed(2)} ms, median ${times[times.length >> 1]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`,
    );
  }
}

function fillToFull(seed: number): void {
  const nodes = 36;
  const zones = 6;
  const inventory = topology(nodes, zones, 12, seed);
  const raw = inventory.clusters[0]!.nodes.reduce((s, n) => s + n.devices.reduce((t, d) => t + d.size, 0), 0);
  const random = mulberry32(seed * 7919 + 1);
  const kinds: Array<[number, VolumeRequestInput["durability"]]> = [
    [0.45, { type: "replicate", replica: 3 }],
    [0.2, { type: "replicate", replica: 3, arbiter: true }],
    [0.15, { type: "disperse", data: 4, redundancy: 2 }],
    [0.1, { type: "replicate", replica: 2 }],
    [0.1, { type: "distribute" }],
  ];
  let placed = 0;
  let failures = 0;
  let consecutive = 0;
  let allocated = 0;
  let bricks = 0;
  let firstFailure: number | undefined;
  let requests = 0;
  while (consecutive < 200) {
    requests++;
    let pick = random();
    let durability = kinds[0]![1];
    for (const [p, d] of kinds) {
      if (pick < p) {
        durability = d;
        break;
      }
      pick -= p;
    }
    // Log-uniform sizes from 10 GiB to 16 TiB.
    const size = Math.round(Math.exp(Math.log(10 * GiB) + random() * Math.log((16 * TiB) / (10 * GiB))));
    const request = resolveVolumeRequest({ size, durability, snapshotFactor: random() < 0.2 ? 1.5 : 1 });
    const result = planVolume(request, inventory);
    if (!result.ok) {
      failures++;
      consecutive++;
      firstFailure ??= allocated / raw;
      continue;
    }
    consecutive = 0;
    placed++;
    for (const d of result.plan.devices) allocated += d.freeBefore - d.freeAfter;
    bricks += result.plan.sets.reduce((s, set) => s + set.bricks.reduce((t, b) => t + b.size, 0), 0);
    applyPlan(inventory, result.plan);
  }
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  console.log(
    `fill seed ${seed}: ${nodes} nodes x 12 mixed disks (${DISKS_TB.join("/")} TB) in ${zones} zones, raw ${formatSize(raw)}; ` +
      `${placed} volumes placed, ${failures} refused of ${requests} requests`,
  );
  console.log(
    `  raw capacity used when the first request did not fit: ${pct(firstFailure ?? 0)}; ` +
      `when requests stopped fitting (200 refusals in a row): ${pct(allocated / raw)} allocated (pools, metadata, spares), ${pct(bricks / raw)} in brick filesystems (a fifth of the requests reserve 1.5x for snapshots)`,
  );
}

console.log("placement benchmark (Node " + process.version + ")");
for (const nodes of [10, 100, 1000]) timePlans(nodes);
for (const seed of [1, 2, 3]) fillToFull(seed);
