// `pulumi-glusterfs status`: the cluster as it is on the nodes, read in one read-only script per
// node (the inventory the handlers read; the first node also answers the cluster-wide health
// queries). Nothing is changed and no node lock is taken. `assembleStatus` is pure, so what the
// command prints is tested on output recorded from real nodes.
import type { ExecCounters } from "../core/exec";
import { HEKETI_ID_OPTION, MANAGED_OPTION, OWNER_OPTION, TAG } from "../core/names";
import * as node from "../node";
import { FileHostKeyStore, SshPool, type SshConnection, defaultKnownHostsPath } from "../ssh";
import { ownerDigest } from "./volume-survey";

export type { VolumeHealth } from "../node";

export interface StatusTarget {
  /** The node as the user named it (`--node`). */
  name: string;
  connection: SshConnection;
}

/** What one node's script gave, or why it gave nothing. */
export interface NodeRead {
  name: string;
  inventory?: node.NodeInventory;
  error?: string;
}

export interface NodeRow {
  node: string;
  hostname?: string;
  reachable: boolean;
  glusterd?: "active" | "inactive";
  uuid?: string;
  /** Why the node could not be read, or what part of it could not be. */
  problems: string[];
}

export interface PeerRow {
  uuid: string;
  hostname: string;
  addresses: string[];
  /** Peer state as the other nodes see it ("Peer in Cluster"), or `self` when only it was asked. */
  state: string;
  /** How many of the nodes whose glusterd answered see this peer connected (itself included). */
  connectedBy: number;
  askedNodes: number;
}

export interface DeviceRow {
  node: string;
  vg: string;
  /** Physical volumes of the VG (the block devices). */
  devices: string[];
  sizeBytes: number;
  freeBytes: number;
  /** Markers: our `glusterfs.cluster` tag (`gfs_*` VGs), or Heketi's `vg_<id>` name. */
  marks: { cluster?: string; device?: string; heketi?: boolean };
}

export interface BrickRow {
  set: number;
  brick: string;
  node?: string;
  path: string;
  arbiter: boolean;
  vg?: string;
  lv?: string;
  device?: string;
  /** The thin LV's size; `fs*` are the brick filesystem's as glusterd reports them. */
  sizeBytes?: number;
  fsSizeBytes?: number;
  fsFreeBytes?: number;
  /** Undefined when the volume status could not be read. */
  online?: boolean;
  pid?: number;
  port?: number;
  /** Entries this brick holds for self-heal (pending + possibly healing), and in split-brain. */
  pendingHeal?: number;
  splitBrain?: number;
  healStatus?: string;
  /**
   * Markers on the brick's LV: the volume it is tagged for, its brick id, and whether its owner
   * digest is the one the volume's owner option gives (`matches`), another (`other`) or absent.
   */
  marks: {
    origin?: "ours" | "heketi" | "tagged";
    volume?: string;
    brickId?: string;
    owner?: "matches" | "other" | "none";
  };
}

export interface VolumeRow {
  name: string;
  id: string;
  type: string;
  /** sets x bricks per set, e.g. `1 x 3`, `1 x (2 + 1)`, `2 x (2 + 1)` (arbiter). */
  layout: string;
  status: string;
  /** Markers: `user.glusterfs-provider.managed` (cluster) and `.owner`, or Heketi's id. */
  marks: { cluster?: string; owner?: string; heketiId?: string };
  health: node.VolumeHealth;
  bricks: BrickRow[];
}

export interface UnusedBrickRow {
  node: string;
  vg: string;
  lv: string;
  origin: "ours" | "heketi" | "tagged";
  volume?: string;
  brickId?: string;
  sizeBytes: number;
}

export interface ClusterStatus {
  nodes: NodeRow[];
  peers: PeerRow[];
  devices: DeviceRow[];
  volumes: VolumeRow[];
  /** Brick LVs (ours or Heketi's) that no volume uses: left by a cut operation, or by hand. */
  unusedBricks: UnusedBrickRow[];
  /** The node that answered the cluster-wide queries (volume info, status, heal). */
  answeredBy?: string;
  problems: string[];
}

/** Reads every target once, in parallel; the first node whose script runs also asks for health. */
export async function readClusterStatus(
  targets: readonly StatusTarget[],
  opts: { knownHostsFile?: string; onCounters?: (c: ExecCounters) => void } = {},
): Promise<ClusterStatus> {
  const pool = new SshPool({
    hostKeys: new FileHostKeyStore(opts.knownHostsFile ?? defaultKnownHostsPath()),
  });
  // Counted (and shown with DEBUG=pulumi-glusterfs): one round trip per node is the promise.
  const op = pool.operation("status");
  try {
    const reads = await Promise.all(
      targets.map(async (t, i): Promise<NodeRead> => {
        try {
          const inventory = await node.readInventory(
            op.executor(t.connection),
            i === 0 ? { health: "all" } : {},
          );
          return { name: t.name, inventory };
        } catch (err) {
          return { name: t.name, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    let health: { node: string; report: node.HealthReport } | undefined;
    const first = reads[0]?.inventory?.health;
    if (first && !first.glusterdDown) health = { node: reads[0]!.name, report: first };
    else {
      // The first node's glusterd did not answer: one more script, on a node whose glusterd runs.
      const i = reads.findIndex((r) => r.inventory?.glusterdActive);
      if (i >= 0) {
        try {
          const r = await node.runStep(op.executor(targets[i]!.connection), node.buildHealthScript("all"));
          health = { node: targets[i]!.name, report: node.parseHealthSections(r.output) };
        } catch (err) {
          reads[i]!.error = `health: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
        }
      }
    }
    return assembleStatus(reads, health);
  } finally {
    opts.onCounters?.(op.end());
    await pool.closeAll();
  }
}

const byName =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

function layoutOf(v: node.GlusterVolumeInfo): string {
  const sets = Math.max(1, Math.round(v.brickCount / perSet(v)));
  if (v.disperseCount > 0) return `${sets} x (${v.disperseCount - v.redundancyCount} + ${v.redundancyCount})`;
  if (v.arbiterCount > 0) return `${sets} x (${v.replicaCount - v.arbiterCount} + ${v.arbiterCount})`;
  return `${sets} x ${perSet(v)}`;
}
function perSet(v: node.GlusterVolumeInfo): number {
  if (v.disperseCount > 0) return v.disperseCount;
  if (v.replicaCount > 1) return v.replicaCount;
  return 1;
}

/** Builds the report from what each node's script gave. Pure. */
export function assembleStatus(
  reads: readonly NodeRead[],
  health?: { node: string; report: node.HealthReport },
): ClusterStatus {
  const problems: string[] = [];
  const nodes: NodeRow[] = reads.map((r) => {
    const inv = r.inventory;
    if (!inv) return { node: r.name, reachable: false, problems: [r.error ?? "not read"] };
    return {
      node: r.name,
      hostname: inv.hostname,
      reachable: true,
      glusterd: inv.glusterdActive ? "active" : "inactive",
      ...(inv.glusterUuid ? { uuid: inv.glusterUuid } : {}),
      problems: [...inv.problems, ...(r.error ? [r.error] : [])],
    };
  });
  const invs = reads.flatMap((r) => (r.inventory ? [{ name: r.name, inv: r.inventory }] : []));

  // Peers: every answering glusterd's pool list, merged by UUID.
  const peers = new Map<string, PeerRow>();
  const asked = invs.filter((x) => x.inv.peers !== undefined);
  for (const { inv } of asked) {
    for (const p of inv.peers ?? []) {
      const self = p.self || p.uuid === inv.glusterUuid;
      const row = peers.get(p.uuid) ?? {
        uuid: p.uuid,
        hostname: self ? inv.hostname : p.hostname,
        addresses: [],
        state: "self",
        connectedBy: 0,
        askedNodes: asked.length,
      };
      if (!self) {
        if (row.hostname === "" || row.state === "self") row.hostname = p.hostname;
        row.state = p.stateStr ?? row.state;
        for (const a of p.hostnames) if (!row.addresses.includes(a)) row.addresses.push(a);
      }
      if (p.connected) row.connectedBy++;
      peers.set(p.uuid, row);
    }
  }
  if (invs.length > 0 && asked.length === 0)
    problems.push("glusterd answered on no node: peers and volumes unknown");

  const devices: DeviceRow[] = invs
    .flatMap(({ inv }) =>
      inv.vgs.map((g) => ({
        node: inv.hostname,
        vg: g.name,
        devices: inv.pvs.filter((p) => p.vg === g.name).map((p) => p.name),
        sizeBytes: g.sizeBytes,
        freeBytes: g.freeBytes,
        marks: {
          ...(g.tags[TAG.cluster] ? { cluster: g.tags[TAG.cluster] } : {}),
          ...(g.tags[TAG.device] ? { device: g.tags[TAG.device] } : {}),
          ...(/^vg_[0-9a-f]{32}$/.test(g.name) ? { heketi: true } : {}),
        },
      })),
    )
    .sort((a, b) => byName<DeviceRow>((x) => `${x.node} ${x.vg}`)(a, b));

  // Volumes: as the node that answered the health queries knows them (else the first that knows any).
  const infoFrom =
    invs.find((x) => x.name === health?.node && x.inv.volumes !== undefined) ??
    invs.find((x) => x.inv.volumes !== undefined);
  const located = invs.map((x) => ({ names: [x.name, x.inv.hostname], inventory: x.inv }));
  const used = new Set<string>();
  const volumes: VolumeRow[] = (infoFrom?.inv.volumes ?? []).map((v) => {
    const report = health?.report;
    const runtime = report?.runtime.get(v.name);
    const heal = report?.heal.get(v.name);
    const cluster = v.options[MANAGED_OPTION];
    const owner = v.options[OWNER_OPTION];
    const digest = cluster && owner ? ownerDigest(cluster, owner) : undefined;
    const size = perSet(v);
    const bricks = node.locateBricks(v, located).map((loc, i): BrickRow => {
      const rt = runtime?.bricks.find((b) => b.spec === loc.spec);
      const hb = heal?.ok ? heal.bricks.find((b) => b.spec === loc.spec) : undefined;
      const lv = loc.brick && loc.node?.lvs.find((l) => l.vg === loc.brick!.vg && l.name === loc.brick!.lv);
      const pool = lv?.pool ? loc.node?.lvs.find((l) => l.vg === lv.vg && l.name === lv.pool) : undefined;
      const tag = lv?.tags[TAG.owner] ?? pool?.tags[TAG.owner];
      if (loc.brick && loc.node) used.add(`${loc.node.hostname}|${loc.brick.vg}|${loc.brick.lv}`);
      const row: BrickRow = {
        set: Math.floor(i / size),
        brick: loc.spec,
        path: loc.path,
        arbiter: loc.isArbiter,
        marks: {},
      };
      if (loc.node) row.node = loc.node.hostname;
      if (loc.brick) {
        row.vg = loc.brick.vg;
        row.lv = loc.brick.lv;
        row.sizeBytes = loc.brick.sizeBytes;
        const pvs = loc.node?.pvs.filter((p) => p.vg === loc.brick!.vg).map((p) => p.name) ?? [];
        if (pvs.length > 0) row.device = pvs.join(",");
        row.marks = {
          origin: loc.brick.origin,
          ...(loc.brick.volume ? { volume: loc.brick.volume } : {}),
          ...(loc.brick.brickId ? { brickId: loc.brick.brickId } : {}),
          owner: tag === undefined ? "none" : tag === digest ? "matches" : "other",
        };
      }
      if (rt) {
        row.online = rt.online;
        if (rt.pid !== undefined && rt.online) row.pid = rt.pid;
        if (rt.port !== undefined && rt.online) row.port = rt.port;
        if (rt.sizeTotal !== undefined) row.fsSizeBytes = rt.sizeTotal;
        if (rt.sizeFree !== undefined) row.fsFreeBytes = rt.sizeFree;
      } else if (runtime || v.status !== "Started") row.online = false;
      if (hb) {
        row.healStatus = hb.status;
        if (hb.pending !== undefined) row.pendingHeal = hb.pending + (hb.possiblyHealing ?? 0);
        if (hb.splitBrain !== undefined) row.splitBrain = hb.splitBrain;
      }
      return row;
    });
    return {
      name: v.name,
      id: v.id,
      type: v.type,
      layout: layoutOf(v),
      status: v.status,
      marks: {
        ...(cluster ? { cluster } : {}),
        ...(owner ? { owner } : {}),
        ...(v.options[HEKETI_ID_OPTION] ? { heketiId: v.options[HEKETI_ID_OPTION] } : {}),
      },
      health: node.volumeHealth(v, report),
      bricks,
    };
  });

  const unusedBricks: UnusedBrickRow[] = infoFrom
    ? invs.flatMap(({ inv }) =>
        inv.bricks
          .filter((b) => !used.has(`${inv.hostname}|${b.vg}|${b.lv}`))
          .map((b) => ({
            node: inv.hostname,
            vg: b.vg,
            lv: b.lv,
            origin: b.origin,
            ...(b.volume ? { volume: b.volume } : {}),
            ...(b.brickId ? { brickId: b.brickId } : {}),
            sizeBytes: b.sizeBytes,
          })),
      )
    : [];
  for (const r of reads) if (!r.inventory) problems.push(`${r.name}: ${r.error ?? "not read"}`);
  if (health) problems.push(...health.report.problems.map((p) => `${health.node}: ${p}`));
  return {
    nodes,
    peers: [...peers.values()].sort(byName<PeerRow>((p) => p.hostname)),
    devices,
    volumes: volumes.sort(byName<VolumeRow>((v) => v.name)),
    unusedBricks,
    ...(health ? { answeredBy: health.node } : {}),
    problems,
  };
}
