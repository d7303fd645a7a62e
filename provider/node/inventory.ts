// Everything placement and refresh need from one node, in one round trip: volume groups
// (tags, size, free extents), logical volumes (tags), physical volumes, brick mounts, fstab,
// glusterd state, peers and the volumes this node knows.
import { DEFAULT_BRICK_ROOT } from "../core/defaults";
import type { RemoteExecutor } from "../core/exec";
import { ParseError } from "../core/errors";
import {
  type BrickRole,
  HEKETI_MOUNT_ROOT,
  TAG,
  assertDevicePath,
  parseLvName,
  parseVgName,
} from "../core/names";
import { sh } from "../core/shell";
import { type GlusterPeer, type GlusterVolumeInfo, parsePeers, parseVolumeInfo } from "./gluster-xml";
import { type HealthReport, type HealthScope, healthSections, parseHealthSections } from "./health";
import {
  LVS_FIELDS,
  type LogicalVolume,
  PVS_FIELDS,
  type PhysicalVolume,
  VGS_FIELDS,
  type VolumeGroup,
  parseLvs,
  parsePvs,
  parseVgs,
} from "./lvm";
import { type ScriptOutput, parseMarkers } from "./markers";
import { type FstabEntry, type Mount, parseFindmnt, parseFstab } from "./mounts";
import { ScriptBuilder } from "./script";
import { runStep } from "./step";

export interface BrickOnNode {
  vg: string;
  lv: string;
  pool: string | undefined;
  origin: "ours" | "heketi" | "tagged";
  volume: string | undefined;
  brickId: string | undefined;
  role: BrickRole | undefined;
  sizeBytes: number;
  poolSizeBytes: number | undefined;
  dataPercent: number | undefined;
  /** Where it is mounted now (if it is). */
  mount: string | undefined;
  /** fstab entries that point at this LV. */
  fstab: string[];
  /** The LV carries our tags (the filesystem was made and recorded). */
  tagged: boolean;
}

export interface NodeInventory {
  host: string;
  hostname: string;
  glusterdActive: boolean;
  glusterUuid: string | undefined;
  vgs: VolumeGroup[];
  lvs: LogicalVolume[];
  pvs: PhysicalVolume[];
  mounts: Mount[];
  fstab: FstabEntry[];
  /** Undefined when glusterd does not answer. */
  peers: GlusterPeer[] | undefined;
  volumes: GlusterVolumeInfo[] | undefined;
  bricks: BrickOnNode[];
  /** Size in bytes of each device asked for in InventoryOptions.devices (as named there); 0 when absent. */
  deviceSizes: Record<string, number>;
  /** Sections that could not be read, with their error output. */
  problems: string[];
  /** Bricks running and heal pending, when InventoryOptions.health asked (see health.ts). */
  health?: HealthReport;
}

export interface InventoryOptions {
  brickRoot?: string;
  /** Block devices whose raw size to read too (devices that may not be volume groups yet). */
  devices?: readonly string[];
  /** Also read these volumes' health (cluster-wide queries: ask one node only). */
  health?: HealthScope;
}

const DEVICE_SECTION = "blockdev:";

export function buildInventoryScript(opts: InventoryOptions = {}) {
  const b = new ScriptBuilder("node.inventory", {
    readOnly: true,
    timeoutMs: opts.health ? 300_000 : 120_000,
  });
  for (const d of opts.devices ?? []) {
    const dev = assertDevicePath(d);
    b.add(sh`section ${DEVICE_SECTION + dev} blockdev --getsize64 ${dev}`, 1);
  }
  b.add(
    sh`section hostname hostname
section glusterd systemctl is-active glusterd
glusterd_rc=$section_rc
section uuid sed -n 's/^UUID=//p' /var/lib/glusterd/glusterd.info
section vgs vgs --reportformat json --units b --nosuffix -o ${VGS_FIELDS}
section lvs lvs -a --reportformat json --units b --nosuffix -o ${LVS_FIELDS}
section pvs pvs --reportformat json --units b --nosuffix -o ${PVS_FIELDS}
section mounts findmnt -J -l -o TARGET,SOURCE,FSTYPE,OPTIONS -t xfs
section fstab cat /etc/fstab
# The glusterd section's answer decides whether to ask Gluster: one systemctl call, not two.
if [ "$glusterd_rc" = 0 ]; then
  section peers timeout 60 gluster --mode=script pool list --xml
  section volumes timeout 120 gluster --mode=script volume info --xml
fi`,
    10,
  );
  // The cluster-wide health queries, when asked (health.ts), in the same round trip.
  if (opts.health) {
    const h = healthSections(opts.health);
    b.add(h.text, h.commands);
  }
  return b.build();
}

function section(out: ScriptOutput, name: string, problems: string[]): string | undefined {
  const s = out.sections.get(name);
  if (!s) return undefined;
  if (s.rc !== 0) {
    problems.push(`${name}: exit ${s.rc}${s.text.trim() ? `: ${s.text.trim().slice(0, 200)}` : ""}`);
    return undefined;
  }
  return s.text;
}

export function parseInventory(host: string, stdout: string, opts: InventoryOptions = {}): NodeInventory {
  const out = parseMarkers(stdout);
  const problems: string[] = [];
  const must = (name: string) => {
    const s = out.sections.get(name);
    if (!s) throw new ParseError("node inventory", `section ${name} missing`, stdout);
    if (s.rc !== 0) throw new ParseError("node inventory", `${name} failed with exit ${s.rc}`, s.text);
    return s.text;
  };
  const vgs = parseVgs(must("vgs"));
  const lvs = parseLvs(must("lvs"));
  const pvs = parsePvs(must("pvs"));
  // findmnt exits 1 when nothing matches.
  const mountsSec = out.sections.get("mounts");
  const mounts = mountsSec && mountsSec.rc === 0 ? parseFindmnt(mountsSec.text) : [];
  const fstab = parseFstab(section(out, "fstab", problems) ?? "");
  const glusterd = out.sections.get("glusterd");
  const glusterdActive = glusterd?.text.trim() === "active";
  const peersText = glusterdActive ? section(out, "peers", problems) : undefined;
  const volText = glusterdActive ? section(out, "volumes", problems) : undefined;
  const inv: NodeInventory = {
    host,
    hostname: (out.sections.get("hostname")?.text ?? "").trim(),
    glusterdActive,
    glusterUuid: section(out, "uuid", problems)?.trim() || undefined,
    vgs,
    lvs,
    pvs,
    mounts,
    fstab,
    peers: peersText === undefined ? undefined : parsePeers(peersText),
    volumes: volText === undefined ? undefined : parseVolumeInfo(volText),
    bricks: [],
    deviceSizes: Object.fromEntries(
      (opts.devices ?? []).map((d) => {
        const s = out.sections.get(DEVICE_SECTION + d);
        const n = s && s.rc === 0 ? Number(s.text.trim()) : 0;
        return [d, Number.isSafeInteger(n) ? n : 0];
      }),
    ),
    problems,
    ...(opts.health ? { health: parseHealthSections(out) } : {}),
  };
  inv.bricks = bricksOf(inv, opts);
  return inv;
}

/** Resolves a mount/fstab source to "vg/lv" using the LVs' device-mapper and /dev/vg/lv paths. */
function lvBySource(lvs: LogicalVolume[], source: string): LogicalVolume | undefined {
  return lvs.find(
    (l) =>
      l.dmPath === source ||
      `/dev/${l.vg}/${l.name}` === source ||
      `/dev/mapper/${l.vg}-${l.name}` === source,
  );
}

/** Thin LVs that are bricks: ours by tags or name, or Heketi's by name. */
export function bricksOf(
  inv: Pick<NodeInventory, "lvs" | "mounts" | "fstab">,
  _opts: InventoryOptions = {},
): BrickOnNode[] {
  const out: BrickOnNode[] = [];
  for (const lv of inv.lvs) {
    if (lv.kind !== "thin") continue;
    const parsed = parseLvName(lv.name);
    const vgParsed = parseVgName(lv.vg);
    const pool = lv.pool ? inv.lvs.find((p) => p.vg === lv.vg && p.name === lv.pool) : undefined;
    const tags = Object.keys(lv.tags).length > 0 ? lv.tags : (pool?.tags ?? {});
    const tagged = TAG.volume in lv.tags;
    let origin: BrickOnNode["origin"];
    if (parsed?.origin === "ours" && parsed.kind === "brick") origin = "ours";
    else if (parsed?.origin === "heketi" && parsed.kind === "brick" && vgParsed?.origin === "heketi")
      origin = "heketi";
    else if (TAG.volume in tags) origin = "tagged";
    else continue;
    const mount = inv.mounts.find((m) => lvBySource([lv], m.source) !== undefined);
    const role = tags[TAG.role];
    out.push({
      vg: lv.vg,
      lv: lv.name,
      pool: lv.pool,
      origin,
      volume: tags[TAG.volume] ?? (parsed?.origin === "ours" ? parsed.volume : undefined),
      brickId: tags[TAG.brick] ?? (parsed?.origin === "ours" ? `s${parsed.set}b${parsed.index}` : undefined),
      role: role === "data" || role === "arbiter" ? role : undefined,
      sizeBytes: lv.sizeBytes,
      poolSizeBytes: pool?.sizeBytes,
      dataPercent: lv.dataPercent,
      mount: mount?.target,
      fstab: inv.fstab.filter((f) => lvBySource([lv], f.spec) !== undefined).map((f) => f.file),
      tagged,
    });
  }
  return out;
}

export async function readInventory(
  exec: RemoteExecutor,
  opts: InventoryOptions = {},
): Promise<NodeInventory> {
  const r = await runStep(
    exec,
    buildInventoryScript(opts),
    "check that lvm2 and glusterfs-server are installed on the node",
  );
  return parseInventory(exec.host, r.result.stdout, opts);
}

// ---------------------------------------------------------------- bricks <-> LVs

export interface BrickLocation {
  spec: string;
  host: string;
  path: string;
  isArbiter: boolean;
  /** The node inventory that holds the brick, when one matched the brick's host. */
  node: NodeInventory | undefined;
  /** The LV under the brick, found through the mount that holds the brick path. */
  brick: BrickOnNode | undefined;
}

/**
 * Maps each brick of a Gluster volume to the LV behind it: the node is matched by the names
 * the caller knows it by (manage/storage addresses, hostname), the LV by the mount that holds
 * the brick path, and identity by the LV's tags (or Heketi's names).
 */
export function locateBricks(
  volume: GlusterVolumeInfo,
  nodes: readonly { names: readonly string[]; inventory: NodeInventory }[],
): BrickLocation[] {
  return volume.bricks.map((b) => {
    const node = nodes.find(
      (n) =>
        n.names.includes(b.host) || n.inventory.hostname === b.host || n.inventory.glusterUuid === b.hostUuid,
    )?.inventory;
    let brick: BrickOnNode | undefined;
    if (node) {
      const mount = node.mounts
        .filter(
          (m) => b.path === m.target || b.path.startsWith(m.target.endsWith("/") ? m.target : `${m.target}/`),
        )
        .sort((x, y) => y.target.length - x.target.length)[0];
      if (mount) brick = node.bricks.find((x) => x.mount === mount.target);
    }
    return { spec: b.spec, host: b.host, path: b.path, isArbiter: b.isArbiter, node, brick };
  });
}

export const KNOWN_BRICK_ROOTS = [DEFAULT_BRICK_ROOT, HEKETI_MOUNT_ROOT];
