// The planner's working copy of one cluster: every device's free extents and pool-metadata spare,
// how many bricks of this volume each node and device already holds, and free space per node and
// zone, all in flat arrays so an attempt can be rolled back by copying them.
//
// Indexing: a device number d is an index into `devices` and every per-device array (free, spare,
// deviceBricks, freeBefore), and a node number into `nodes` and the per-node arrays; the
// constructor fills them all together and nothing removes an entry. So `state.free[d]!` and
// `state.nodes[n]!` in the planner state that invariant; they are not unchecked input.
import { brickCost, type BrickSpace } from "../sizing";
import type { InventoryCluster } from "../topology";
import type { BrickRole, PlannedVolume, TagRule } from "./types";

export interface NodeInfo {
  manage: string;
  storage: string;
  zone: number;
  /** Indices into ClusterState.devices, ordered by device name. */
  devices: number[];
}

export interface DeviceInfo {
  node: number;
  name: string;
  /** Passes the request's tag rules. */
  eligible: boolean;
  canData: boolean;
  canArbiter: boolean;
  /** Tagged arbiter=required (only arbiters) or arbiter=disabled (only data). */
  dedicated: boolean;
}

export function matchesRules(tags: Record<string, string>, rules: TagRule[]): boolean {
  return rules.every((r) => ((tags[r.key] ?? "") === r.value) !== r.negate);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ClusterState {
  readonly id: string;
  readonly nodes: NodeInfo[];
  readonly devices: DeviceInfo[];
  readonly zones: number[];
  /** Whether any device is dedicated to one role (arbiter=required or arbiter=disabled). */
  readonly anyDedicated: boolean;
  /** Free bytes as the inventory reported them. */
  readonly freeBefore: Float64Array;
  free: Float64Array;
  spare: Float64Array;
  deviceBricks: Int32Array;
  nodeBricks: Int32Array;
  nodeFree: Float64Array;
  zoneFree: Map<number, number>;
  /** Built on first use: only expansions look devices up by name. */
  private deviceIndex: Map<string, number> | undefined;

  constructor(cluster: InventoryCluster, rules: TagRule[], existing?: PlannedVolume) {
    this.id = cluster.id;
    const nodes = [...cluster.nodes].sort((a, b) => byName(a.manage, b.manage));
    this.nodes = [];
    this.devices = [];
    const free: number[] = [];
    const spare: number[] = [];
    nodes.forEach((n, ni) => {
      const info: NodeInfo = { manage: n.manage, storage: n.storage, zone: n.zone, devices: [] };
      const devices =
        n.devices.length > 1 ? [...n.devices].sort((a, b) => byName(a.name, b.name)) : n.devices;
      for (const d of devices) {
        // A device tag overrides the node's tag of the same key (no merged copy per device: at
        // 12,000 devices the copies were a large part of a plan's time).
        const tag = (key: string): string | undefined => d.tags[key] ?? n.tags[key];
        const role = tag("arbiter");
        const index = this.devices.length;
        this.devices.push({
          node: ni,
          name: d.name,
          eligible: rules.every((r) => ((tag(r.key) ?? "") === r.value) !== r.negate),
          canData: role !== "required",
          canArbiter: role !== "disabled",
          dedicated: role === "required" || role === "disabled",
        });
        free.push(Math.max(0, d.free));
        spare.push(d.spare ?? 0);
        info.devices.push(index);
      }
      this.nodes.push(info);
    });
    this.anyDedicated = this.devices.some((d) => d.dedicated && d.eligible);
    this.zones = [...new Set(this.nodes.map((n) => n.zone))].sort((a, b) => a - b);
    this.freeBefore = Float64Array.from(free);
    this.free = Float64Array.from(free);
    this.spare = Float64Array.from(spare);
    this.deviceBricks = new Int32Array(this.devices.length);
    this.nodeBricks = new Int32Array(this.nodes.length);
    for (const set of existing?.sets ?? []) {
      for (const b of set.bricks) {
        const d = this.deviceAt(b.node, b.device);
        if (d === undefined) continue;
        this.spare[d] = Math.max(this.spare[d]!, b.metadataSize);
        this.deviceBricks[d]!++;
        this.nodeBricks[this.devices[d]!.node]!++;
      }
    }
    this.nodeFree = new Float64Array(this.nodes.length);
    this.zoneFree = new Map();
    this.recount();
  }

  deviceAt(node: string, device: string): number | undefined {
    if (!this.deviceIndex) {
      this.deviceIndex = new Map();
      this.devices.forEach((d, i) =>
        this.deviceIndex!.set(`${this.nodes[d.node]!.manage}\u0000${d.name}`, i),
      );
    }
    return this.deviceIndex.get(`${node}\u0000${device}`);
  }

  /** Recomputes node and zone free space (eligible devices only) from device free space. */
  recount(): void {
    this.zoneFree = new Map(this.zones.map((z) => [z, 0]));
    this.nodes.forEach((n, ni) => {
      let sum = 0;
      for (const d of n.devices) if (this.devices[d]!.eligible) sum += this.free[d]!;
      this.nodeFree[ni] = sum;
      this.zoneFree.set(n.zone, this.zoneFree.get(n.zone)! + sum);
    });
  }

  canHold(d: number, role: BrickRole): boolean {
    const dev = this.devices[d]!;
    return dev.eligible && (role === "arbiter" ? dev.canArbiter : dev.canData);
  }

  /** Takes a brick's extents from device d. */
  debit(d: number, space: BrickSpace): number {
    const cost = brickCost(space, this.spare[d]!);
    const dev = this.devices[d]!;
    this.free[d]! -= cost;
    this.spare[d] = Math.max(this.spare[d]!, space.metadataSize);
    this.deviceBricks[d]!++;
    this.nodeBricks[dev.node]!++;
    if (dev.eligible) {
      this.nodeFree[dev.node]! -= cost;
      const zone = this.nodes[dev.node]!.zone;
      this.zoneFree.set(zone, this.zoneFree.get(zone)! - cost);
    }
    return cost;
  }

  snapshot(): Snapshot {
    return {
      free: this.free.slice(),
      spare: this.spare.slice(),
      deviceBricks: this.deviceBricks.slice(),
      nodeBricks: this.nodeBricks.slice(),
      nodeFree: this.nodeFree.slice(),
      zoneFree: new Map(this.zoneFree),
    };
  }

  restore(s: Snapshot): void {
    this.free = s.free.slice();
    this.spare = s.spare.slice();
    this.deviceBricks = s.deviceBricks.slice();
    this.nodeBricks = s.nodeBricks.slice();
    this.nodeFree = s.nodeFree.slice();
    this.zoneFree = new Map(s.zoneFree);
  }
}

export interface Snapshot {
  free: Float64Array;
  spare: Float64Array;
  deviceBricks: Int32Array;
  nodeBricks: Int32Array;
  nodeFree: Float64Array;
  zoneFree: Map<number, number>;
}
