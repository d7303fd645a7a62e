// A recording stand-in for the nodes of a cluster, at the level of provider/node's operations:
// each operation keeps the contract its script keeps on a real node (what it refuses, what it
// changes, that a re-run converges), on an in-memory model of volume groups, LVs, mounts, fstab
// and Gluster volumes. Faults cut an operation at its Nth mutating step. It proves the
// handlers' logic; the lab proves the scripts.
import { type Durability, setSizeOf } from "../../provider/core/durability";
import { RemoteError } from "../../provider/core/errors";
import type { RemoteExecutor } from "../../provider/core/exec";
import {
  MANAGED_OPTION,
  OWNER_OPTION,
  TAG,
  brickDirPath,
  brickTags,
  parseTags,
  vgName,
} from "../../provider/core/names";
import type * as node from "../../provider/node";
import type { RebalanceState } from "../../provider/core/defaults";

const real = jest.requireActual("../../provider/node") as typeof node;

export interface FakeLv {
  vg: string;
  name: string;
  kind: "thin-pool" | "thin";
  pool?: string;
  sizeBytes: number;
  metadataBytes: number;
  tags: Record<string, string>;
}

export interface FakeNode {
  manage: string;
  storage: string;
  /** Device path to its volume group ("" when the device is not prepared). */
  devices: Record<string, { vg: string; sizeBytes: number; freeBytes: number; tags: Record<string, string> }>;
  lvs: FakeLv[];
  /** Mount point to its source device. */
  mounts: Record<string, string>;
  /** Mount point to its fstab line. */
  fstab: Record<string, string>;
  /** Plain directories (brick directories of volumes made by hand). */
  dirs: string[];
}

export interface FakeVolume {
  name: string;
  id: string;
  status: "Created" | "Started" | "Stopped";
  bricks: string[];
  options: Record<string, string>;
  /** Bricks per set (1 for distribute). */
  setSize: number;
}

export type Fault =
  /** The Nth mutating step fails without changing anything. */
  | { at: number; mode: "before" }
  /** The Nth mutating step does its work, then the connection drops (the caller sees a failure). */
  | { at: number; mode: "after" }
  /** Every mutating step from the Nth on fails (a node gone for the rest of the operation). */
  | { at: number; mode: "rest" };

export class StepFailure extends Error {}

/**
 * provider/node with the named operations played by a fake cluster (whichever `current()` returns
 * at the call) and everything else real. For a test file's node mock:
 *   jest.mock("../../provider/node", () =>
 *     jest.requireActual<typeof import("../support/fake-cluster")>("../support/fake-cluster")
 *       .nodeWithFakeOperations(() => mockHolder.cluster, ["createBrick", ...]));
 */
/** Every operation a Volume's life cycle calls: what handler tests let the fake play by default. */
export const VOLUME_LIFECYCLE_OPERATIONS: Array<keyof ReturnType<FakeCluster["operations"]>> = [
  "createBrick",
  "growBrick",
  "destroyBrick",
  "createVolume",
  "addBricks",
  "rebalance",
  "setOptions",
  "resetOptions",
  "startVolume",
  "deleteVolume",
  "readVolume",
  "readInventory",
];

export function nodeWithFakeOperations(
  current: () => FakeCluster | undefined,
  names: Array<keyof ReturnType<FakeCluster["operations"]>> = VOLUME_LIFECYCLE_OPERATIONS,
): typeof node {
  const forward =
    (name: string) =>
    (...args: unknown[]): unknown => {
      const cluster = current();
      if (!cluster) throw new Error(`provider/node ${name} was called before the test set up a fake cluster`);
      const operation = (cluster.operations() as Record<string, ((...a: unknown[]) => unknown) | undefined>)[
        name
      ];
      if (!operation) throw new Error(`the fake cluster plays no operation ${name}`);
      return operation(...args);
    };
  return { ...real, ...Object.fromEntries(names.map((n) => [n, forward(String(n))])) };
}

/** What a script's refusal (exit 3, nothing changed) looks like to the caller. */
class Refusal extends RemoteError {
  constructor(reason: string) {
    super({
      node: "fake",
      step: "fake",
      exitCode: real.EXIT_REFUSED,
      stderr: reason,
      message: `refused: ${reason}`,
    });
  }
}

const MiB = 1024 * 1024;

export class FakeCluster {
  readonly nodes: FakeNode[] = [];
  readonly volumes = new Map<string, FakeVolume>();
  /** Every mutating step asked for: operation, node, and what it named. */
  readonly calls: { op: string; host: string; what: string; outcome: "ok" | "refused" | "failed" }[] = [];
  fault: Fault | undefined;
  /** glusterd answers on no node: Gluster's volume list is unknown. */
  glusterdDown = false;
  /** Bricks (host:path) whose process is not running, and entries each volume's bricks hold for heal. */
  readonly offlineBricks = new Set<string>();
  readonly healPending = new Map<string, { pending: number; splitBrain: number }>();
  private steps = 0;
  private ids = 0;

  constructor(
    readonly cluster: string,
    hosts: { manage: string; storage: string; devices: Record<string, number> }[],
  ) {
    for (const h of hosts)
      this.nodes.push({
        manage: h.manage,
        storage: h.storage,
        devices: Object.fromEntries(
          Object.entries(h.devices).map(([path, size]) => [
            path,
            {
              vg: vgName(cluster, path),
              sizeBytes: size,
              freeBytes: size - 4 * MiB,
              tags: { [TAG.cluster]: cluster, [TAG.device]: path },
            },
          ]),
        ),
        lvs: [],
        mounts: {},
        fstab: {},
        dirs: [],
      });
  }

  node(host: string): FakeNode {
    const n = this.nodes.find((x) => x.manage === host || x.storage === host);
    if (!n) throw new Error(`fake: no node ${host}`);
    return n;
  }

  executor(host: string): RemoteExecutor {
    return {
      host,
      run: async () => ({ code: 0, stdout: "@@done\n", stderr: "", durationMs: 0 }),
    };
  }

  /** Everything a node carries and Gluster knows, in a stable order, for comparing end states. */
  snapshot(): unknown {
    return {
      nodes: this.nodes.map((n) => ({
        manage: n.manage,
        free: Object.fromEntries(Object.entries(n.devices).map(([d, g]) => [d, g.freeBytes])),
        lvs: [...n.lvs]
          .sort((a, b) => `${a.vg}/${a.name}`.localeCompare(`${b.vg}/${b.name}`))
          .map((l) => ({ ...l, tags: Object.fromEntries(Object.entries(l.tags).sort()) })),
        mounts: Object.fromEntries(Object.entries(n.mounts).sort()),
        fstab: Object.fromEntries(Object.entries(n.fstab).sort()),
        dirs: [...n.dirs].sort(),
      })),
      volumes: [...this.volumes.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(({ id: _id, ...v }) => ({
          ...v,
          options: Object.fromEntries(Object.entries(v.options).sort()),
        })),
    };
  }

  /** Runs one mutating step under the fault plan; a refusal is reported like the script's exit 3. */
  private step<T>(op: string, host: string, what: string, work: () => T): T {
    this.steps += 1;
    const f = this.fault;
    const hit = f && (f.mode === "rest" ? this.steps >= f.at : this.steps === f.at);
    if (hit && f.mode !== "after") {
      this.calls.push({ op, host, what, outcome: "failed" });
      throw new StepFailure(`fault injected at step ${this.steps} (${op} ${what} on ${host})`);
    }
    try {
      const r = work();
      this.calls.push({ op, host, what, outcome: "ok" });
      if (hit) throw new StepFailure(`connection lost after step ${this.steps} (${op} ${what} on ${host})`);
      return r;
    } catch (err) {
      if (err instanceof StepFailure) throw err;
      this.calls.push({ op, host, what, outcome: err instanceof Refusal ? "refused" : "failed" });
      throw err;
    }
  }

  /** Resets the step counter and fault plan (one operation = one count). */
  arm(fault: Fault | undefined): void {
    this.fault = fault;
    this.steps = 0;
  }

  // ------------------------------------------------------------ bricks

  private vgOf(n: FakeNode, vg: string) {
    const d = Object.values(n.devices).find((x) => x.vg === vg);
    if (!d) throw new Error(`volume group ${vg} not found on ${n.manage}`);
    return d;
  }

  private lv(n: FakeNode, vg: string, name: string): FakeLv | undefined {
    return n.lvs.find((l) => l.vg === vg && l.name === name);
  }

  private usedBy(n: FakeNode, dir: string): string | undefined {
    for (const v of this.volumes.values())
      if (v.bricks.some((b) => b === `${n.storage}:${dir}` || b === `${n.manage}:${dir}`)) return v.name;
    return undefined;
  }

  createBrick = async (exec: RemoteExecutor, spec: node.BrickSpec): Promise<node.BrickState> => {
    const n = this.node(exec.host);
    const ref = real.brickRef(spec);
    real.buildCreateBrick(spec); // the real builder's validation, as on a node
    return this.step("brick.create", n.manage, `${ref.vg}/${ref.lv}`, () => {
      const g = this.vgOf(n, ref.vg);
      const tags = parseTags(brickTags(spec.volume, spec.set, spec.index, spec.role, spec.owner).join(","));
      const poolSize = spec.poolSize;
      const meta = spec.metadataSize;
      const pool = this.lv(n, ref.vg, ref.pool);
      if (!pool) {
        if (g.freeBytes < poolSize + meta) throw new Error(`insufficient free space in ${ref.vg}`);
        g.freeBytes -= poolSize + meta;
        n.lvs.push({
          vg: ref.vg,
          name: ref.pool,
          kind: "thin-pool",
          sizeBytes: poolSize,
          metadataBytes: meta,
          tags,
        });
      } else {
        if (pool.tags[TAG.volume] !== spec.volume)
          throw new Refusal(`pool ${ref.pool} not tagged for ${spec.volume}`);
        if (spec.owner !== undefined && pool.tags[TAG.owner] !== spec.owner)
          throw new Refusal(`pool ${ref.pool} belongs to another volume resource`);
      }
      if (!this.lv(n, ref.vg, ref.lv))
        n.lvs.push({
          vg: ref.vg,
          name: ref.lv,
          kind: "thin",
          pool: ref.pool,
          sizeBytes: spec.size,
          metadataBytes: 0,
          tags,
        });
      const dev = `/dev/${ref.vg}/${ref.lv}`;
      n.fstab[ref.mount] = `${dev} ${ref.mount} xfs ${real.MOUNT_OPTIONS} 1 2`;
      n.mounts[ref.mount] = dev;
      const lv = this.lv(n, ref.vg, ref.lv)!;
      return {
        ref,
        path: brickDirPath(ref.mount),
        device: dev,
        sizeBytes: lv.sizeBytes,
        poolSizeBytes: this.lv(n, ref.vg, ref.pool)!.sizeBytes,
        changes: [],
      };
    });
  };

  growBrick = async (
    exec: RemoteExecutor,
    ref: node.BrickRef,
    sizes: { sizeBytes: number; poolSizeBytes?: number },
  ): Promise<{ sizeBytes: number; poolSizeBytes: number; changes: string[] }> => {
    const n = this.node(exec.host);
    real.buildGrowBrick(ref, sizes);
    return this.step("brick.grow", n.manage, `${ref.vg}/${ref.lv}`, () => {
      const lv = this.lv(n, ref.vg, ref.lv);
      const pool = this.lv(n, ref.vg, ref.pool);
      if (!lv || !pool) throw new Error(`brick LV ${ref.vg}/${ref.lv} not found`);
      const want = sizes.sizeBytes;
      const wantPool = sizes.poolSizeBytes ?? want;
      if (lv.sizeBytes > want) throw new Refusal(`shrinking ${ref.lv} is not supported`);
      const g = this.vgOf(n, ref.vg);
      if (pool.sizeBytes < wantPool) {
        if (g.freeBytes < wantPool - pool.sizeBytes) throw new Error(`insufficient free space in ${ref.vg}`);
        g.freeBytes -= wantPool - pool.sizeBytes;
        pool.sizeBytes = wantPool;
      }
      lv.sizeBytes = Math.max(lv.sizeBytes, want);
      return { sizeBytes: lv.sizeBytes, poolSizeBytes: pool.sizeBytes, changes: [] };
    });
  };

  destroyBrick = async (
    exec: RemoteExecutor,
    ref: node.BrickRef,
  ): Promise<{ changes: string[]; poolKept: boolean }> => {
    const n = this.node(exec.host);
    real.buildDestroyBrick(ref);
    return this.step("brick.destroy", n.manage, `${ref.vg}/${ref.lv}`, () => {
      const user = this.usedBy(n, brickDirPath(ref.mount));
      if (user) throw new Refusal(`volume ${user} still uses ${ref.mount}`);
      delete n.mounts[ref.mount];
      delete n.fstab[ref.mount];
      n.lvs = n.lvs.filter((l) => !(l.vg === ref.vg && l.name === ref.lv));
      const pool = this.lv(n, ref.vg, ref.pool);
      if (pool && !n.lvs.some((l) => l.vg === ref.vg && l.pool === ref.pool)) {
        n.lvs = n.lvs.filter((l) => l !== pool);
        this.vgOf(n, ref.vg).freeBytes += pool.sizeBytes + pool.metadataBytes;
      }
      return { changes: [], poolKept: false };
    });
  };

  // ------------------------------------------------------------ volumes

  /** The checks every script but create and delete makes: our cluster's, and not another owner's. */
  private requireOurs(v: FakeVolume, spec: node.VolumeRef): void {
    if (v.options[MANAGED_OPTION] !== spec.cluster)
      throw new Refusal(`volume ${v.name} is not managed by ${spec.cluster}`);
    const o = v.options[OWNER_OPTION];
    if (o !== undefined && o !== spec.owner) throw new Refusal(`volume ${v.name} belongs to ${o}`);
  }

  private brickExists(spec: string): boolean {
    const i = spec.indexOf(":/");
    const n = this.node(spec.slice(0, i));
    const dir = spec.slice(i + 1);
    return Object.keys(n.mounts).some((m) => brickDirPath(m) === dir) || n.dirs.includes(dir);
  }

  private vol(name: string): FakeVolume {
    const v = this.volumes.get(name);
    if (!v) throw new Error(`volume ${name} does not exist`);
    return v;
  }

  createVolume = async (exec: RemoteExecutor, spec: node.CreateVolumeSpec): Promise<node.VolumeResult> => {
    real.buildCreateVolume(spec);
    return this.step("volume.create", exec.host, spec.name, () => {
      const specs = spec.bricks.map((b) => `${b.host}:${b.path}`);
      const markers: Record<string, string> = {
        [MANAGED_OPTION]: spec.cluster,
        ...(spec.owner !== undefined ? { [OWNER_OPTION]: spec.owner } : {}),
        ...(spec.rebalanced !== undefined ? { [real.REBALANCED_OPTION]: String(spec.rebalanced) } : {}),
      };
      let v = this.volumes.get(spec.name);
      if (v) {
        if (v.bricks.join(" ") !== specs.join(" "))
          throw new Refusal(`volume ${spec.name} exists with other bricks`);
        const m = v.options[MANAGED_OPTION];
        const o = v.options[OWNER_OPTION];
        if (m !== undefined && m !== spec.cluster)
          throw new Refusal(`volume ${spec.name} is managed by ${m}`);
        if (o !== undefined && o !== spec.owner) throw new Refusal(`volume ${spec.name} belongs to ${o}`);
        if (spec.owner !== undefined && m !== undefined && o === undefined)
          throw new Refusal(`volume ${spec.name} was made by an earlier version`);
      } else {
        for (const s of specs) {
          if (!this.brickExists(s)) throw new Error(`brick ${s} does not exist`);
          const user = [...this.volumes.values()].find((x) => x.bricks.includes(s));
          if (user) throw new Error(`${s} is already part of volume ${user.name}`);
        }
        const setSize = setSizeOf(spec.durability);
        v = {
          name: spec.name,
          id: `id-${++this.ids}`,
          status: "Created",
          bricks: specs,
          options: {},
          setSize,
        };
        this.volumes.set(spec.name, v);
        if (this.fault?.mode === "after" && this.steps === this.fault.at && this.cutInsideCreate) {
          // Cut between 'volume create' and the 'volume set' of the markers.
          return { changes: [], info: undefined };
        }
      }
      Object.assign(v.options, spec.options ?? {}, markers);
      if (spec.start !== false) v.status = "Started";
      return { changes: [], info: this.info(v) };
    });
  };

  /** With an "after" fault on volume.create: cut right after 'volume create', before the markers. */
  cutInsideCreate = false;

  addBricks = async (
    exec: RemoteExecutor,
    spec: node.VolumeRef & { durability: Durability; bricks: readonly node.PlannedBrick[] },
  ): Promise<{ changes: string[] }> => {
    real.buildAddBricks(spec);
    return this.step("volume.add-bricks", exec.host, spec.name, () => {
      const v = this.vol(spec.name);
      this.requireOurs(v, spec);
      const specs = spec.bricks.map((b) => `${b.host}:${b.path}`);
      if (v.bricks.length > specs.length) throw new Refusal("shrinking is not supported");
      v.bricks.forEach((b, i) => {
        if (b !== specs[i]) throw new Refusal(`brick ${i} is ${b}, the plan says ${specs[i]}`);
      });
      for (const s of specs.slice(v.bricks.length))
        if (!this.brickExists(s)) throw new Error(`brick ${s} does not exist`);
      v.bricks = specs;
      return { changes: [] };
    });
  };

  rebalance = async (
    exec: RemoteExecutor,
    spec: node.RebalanceSpec,
  ): Promise<{ changes: string[]; state: RebalanceState | undefined }> => {
    real.buildRebalance(spec);
    return this.step("volume.rebalance", exec.host, spec.name, () => {
      const v = this.vol(spec.name);
      this.requireOurs(v, spec);
      // As the real script: Gluster rebalances only a started volume; a run is marked started,
      // and done only once it finished (here at once, when `up` waits for it).
      if (v.status !== "Started") throw new Error(`volume ${spec.name} is not started`);
      if (v.bricks.length / v.setSize <= 1) return { changes: [], state: "not-needed" as const };
      const count = String(v.bricks.length);
      v.options[real.REBALANCE_STARTED_OPTION] = count;
      if (spec.wait === false) return { changes: [], state: "in progress" as const };
      v.options[real.REBALANCED_OPTION] = count;
      return { changes: [], state: "completed" as const };
    });
  };

  setOptions = async (exec: RemoteExecutor, spec: node.SetOptionsSpec): Promise<{ changes: string[] }> => {
    real.buildSetOptions(spec);
    return this.step("volume.set", exec.host, spec.name, () => {
      const v = this.vol(spec.name);
      this.requireOurs(v, spec);
      Object.assign(v.options, spec.options);
      if (spec.markOwner && spec.owner !== undefined) v.options[OWNER_OPTION] = spec.owner;
      return { changes: [] };
    });
  };

  resetOptions = async (
    exec: RemoteExecutor,
    spec: node.VolumeRef & { keys: readonly string[] },
  ): Promise<{ changes: string[] }> => {
    real.buildResetOptions(spec);
    return this.step("volume.reset", exec.host, spec.name, () => {
      const v = this.vol(spec.name);
      this.requireOurs(v, spec);
      for (const k of spec.keys) if (!k.startsWith("user.")) delete v.options[k];
      return { changes: [] };
    });
  };

  startVolume = async (exec: RemoteExecutor, spec: node.VolumeRef): Promise<{ changes: string[] }> => {
    real.buildStartVolume(spec);
    return this.step("volume.start", exec.host, spec.name, () => {
      const v = this.vol(spec.name);
      this.requireOurs(v, spec);
      v.status = "Started";
      return { changes: [] };
    });
  };

  deleteVolume = async (
    exec: RemoteExecutor,
    spec: node.DeleteVolumeSpec,
  ): Promise<{ changes: string[] }> => {
    real.buildDeleteVolume(spec);
    return this.step("volume.delete", exec.host, spec.name, () => {
      const v = this.volumes.get(spec.name);
      if (!v) return { changes: [] };
      const o = v.options[OWNER_OPTION];
      if (o !== undefined) {
        if (o !== spec.owner) throw new Refusal(`volume ${v.name} belongs to ${o}`);
      } else if (spec.ownedOnly) throw new Refusal(`volume ${v.name} carries no owner marker`);
      else if (!spec.adopt) this.requireOurs(v, spec);
      this.volumes.delete(spec.name);
      return { changes: [] };
    });
  };

  // ------------------------------------------------------------ reads

  private info(v: FakeVolume): node.GlusterVolumeInfo {
    return {
      name: v.name,
      id: v.id,
      status: v.status,
      type: v.setSize > 1 ? "Distributed-Replicate" : "Distribute",
      brickCount: v.bricks.length,
      distCount: v.bricks.length / v.setSize,
      replicaCount: v.setSize,
      arbiterCount: 0,
      disperseCount: 0,
      redundancyCount: 0,
      snapshotCount: 0,
      bricks: v.bricks.map((spec) => {
        const i = spec.indexOf(":/");
        return { host: spec.slice(0, i), path: spec.slice(i + 1), spec, hostUuid: "", isArbiter: false };
      }),
      options: { ...v.options },
    };
  }

  readVolume = async (
    exec: RemoteExecutor,
    name: string,
  ): Promise<{ info: node.GlusterVolumeInfo | undefined; status: undefined }> => {
    this.node(exec.host);
    const v = this.volumes.get(name);
    return { info: v ? this.info(v) : undefined, status: undefined };
  };

  readInventory = async (
    exec: RemoteExecutor,
    opts: node.InventoryOptions = {},
  ): Promise<node.NodeInventory> => {
    const n = this.node(exec.host);
    const devs = Object.entries(n.devices);
    const lvs: node.LogicalVolume[] = n.lvs.map((l) => ({
      name: l.name,
      vg: l.vg,
      uuid: `${l.vg}-${l.name}`,
      sizeBytes: l.sizeBytes,
      attr: l.kind === "thin-pool" ? "twi-aotz--" : "Vwi-aotz--",
      kind: l.kind,
      pool: l.pool,
      tags: { ...l.tags },
      dataPercent: undefined,
      metadataPercent: undefined,
      thinCount:
        l.kind === "thin-pool" ? n.lvs.filter((x) => x.pool === l.name && x.vg === l.vg).length : undefined,
      metadataBytes: l.metadataBytes,
      dmPath: `/dev/mapper/${l.vg}-${l.name}`,
    }));
    const inv: node.NodeInventory = {
      host: n.manage,
      hostname: n.storage,
      glusterdActive: !this.glusterdDown,
      glusterUuid: `uuid-${n.manage}`,
      vgs: devs.map(([, g]) => ({
        name: g.vg,
        uuid: g.vg,
        sizeBytes: g.sizeBytes - 4 * MiB,
        freeBytes: g.freeBytes,
        extentBytes: 4 * MiB,
        extentCount: Math.floor(g.sizeBytes / (4 * MiB)),
        freeExtents: Math.floor(g.freeBytes / (4 * MiB)),
        tags: { ...g.tags },
        pvCount: 1,
        lvCount: n.lvs.filter((l) => l.vg === g.vg).length,
      })),
      lvs,
      pvs: devs.map(([path, g]) => ({
        name: path,
        vg: g.vg,
        sizeBytes: g.sizeBytes,
        freeBytes: g.freeBytes,
        uuid: path,
        deviceBytes: g.sizeBytes,
      })),
      mounts: Object.entries(n.mounts).map(([target, source]) => ({
        target,
        source,
        fstype: "xfs",
        options: "rw",
      })),
      fstab: Object.entries(n.fstab).map(([file, line], i) => {
        const [spec = "", , vfstype = "", options = "", freq = "", passno = ""] = line.split(" ");
        return { spec, file, vfstype, options, freq, passno, line: i + 1 };
      }),
      peers: [],
      volumes: this.glusterdDown ? undefined : [...this.volumes.values()].map((v) => this.info(v)),
      bricks: [],
      deviceSizes: Object.fromEntries((opts.devices ?? []).map((d) => [d, n.devices[d]?.sizeBytes ?? 0])),
      problems: [],
      ...(opts.health ? { health: this.health(opts.health) } : {}),
    };
    inv.bricks = real.bricksOf(inv);
    return inv;
  };

  /** What the health sections of a node's script would say (`gluster volume status`/`heal info`). */
  private health(scope: node.HealthScope): node.HealthReport {
    const report: node.HealthReport = {
      runtime: new Map(),
      statusErrors: new Map(),
      heal: new Map(),
      glusterdDown: this.glusterdDown,
      problems: [],
    };
    if (this.glusterdDown) return report;
    for (const v of this.volumes.values()) {
      if (scope !== "all" && !scope.includes(v.name)) continue;
      if (v.status !== "Started") {
        report.statusErrors.set(v.name, `Volume ${v.name} is not started`);
        continue;
      }
      const bricks = v.bricks.map((spec) => {
        const i = spec.indexOf(":/");
        return {
          host: spec.slice(0, i),
          path: spec.slice(i + 1),
          spec,
          online: !this.offlineBricks.has(spec),
        };
      });
      report.runtime.set(v.name, {
        name: v.name,
        bricks: bricks.map((b, i) => ({
          ...b,
          peerId: "",
          pid: b.online ? 1000 + i : undefined,
          port: b.online ? 49152 + i : undefined,
          sizeTotal: undefined,
          sizeFree: undefined,
          device: undefined,
        })),
        selfHeal: [],
        tasks: [],
      });
      const counts = this.healPending.get(v.name) ?? { pending: 0, splitBrain: 0 };
      report.heal.set(v.name, {
        ok: true,
        // The first brick that runs holds every pending entry, as when a copy was down during writes.
        bricks: bricks.map((b, i) => ({
          spec: b.spec,
          hostUuid: "",
          status: b.online ? "Connected" : "Transport endpoint is not connected",
          connected: b.online,
          pending: b.online ? (i === bricks.findIndex((x) => x.online) ? counts.pending : 0) : undefined,
          splitBrain: b.online
            ? i === bricks.findIndex((x) => x.online)
              ? counts.splitBrain
              : 0
            : undefined,
          possiblyHealing: b.online ? 0 : undefined,
          total: undefined,
        })),
      });
    }
    return report;
  }

  /** The provider/node functions this fake replaces (for jest.mock). */
  operations() {
    return {
      createBrick: this.createBrick,
      growBrick: this.growBrick,
      destroyBrick: this.destroyBrick,
      createVolume: this.createVolume,
      addBricks: this.addBricks,
      rebalance: this.rebalance,
      setOptions: this.setOptions,
      resetOptions: this.resetOptions,
      startVolume: this.startVolume,
      deleteVolume: this.deleteVolume,
      readVolume: this.readVolume,
      readInventory: this.readInventory,
    };
  }
}
