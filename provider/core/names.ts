// Names of everything we make on a node, and the strict patterns every name is checked
// against before it can reach a shell. Pure.
//
//   device VG      gfs_<cluster>_<device basename>        tags glusterfs.cluster, glusterfs.device
//   thin pool      tp_<volume>_s<set>b<index>             tags glusterfs.volume, glusterfs.brick, glusterfs.role
//   thin LV        brick_<volume>_s<set>b<index>          same tags (added once the filesystem exists)
//   mount          <brickRoot>/<volume>/s<set>b<index>    brick directory <mount>/brick
//
// Heketi's names (vg_<id>, tp_<id>, brick_<id>, /var/lib/heketi/mounts/vg_<id>/brick_<id>) are
// recognised when reading a node, so volumes Heketi made can be refreshed and imported.
import { ValidationError } from "./errors";

export const DEFAULT_BRICK_ROOT = "/var/lib/glusterfs-bricks";
/** The Gluster volume option that marks a volume as made (and owned) by this provider. */
export const MANAGED_OPTION = "user.glusterfs-provider.managed";
/** The Gluster volume option naming the one Volume resource (project/stack/resource) that owns the volume. */
export const OWNER_OPTION = "user.glusterfs-provider.owner";
export const HEKETI_ID_OPTION = "user.heketi.id";
export const HEKETI_MOUNT_ROOT = "/var/lib/heketi/mounts";

export const TAG = {
  cluster: "glusterfs.cluster",
  device: "glusterfs.device",
  volume: "glusterfs.volume",
  brick: "glusterfs.brick",
  role: "glusterfs.role",
  /** A digest of cluster and owner (see OWNER_OPTION): which Volume resource made the brick. */
  owner: "glusterfs.owner",
} as const;

export type BrickRole = "data" | "arbiter";

// ---------------------------------------------------------------- patterns

export const PATTERNS = {
  cluster: /^[a-z][a-z0-9-]{0,30}$/,
  /** Gluster allows letters, digits, '-' and '_'; we also require a leading letter and cap the length. */
  volume: /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
  device: /^\/dev\/[A-Za-z0-9][A-Za-z0-9/_.:+-]{0,127}$/,
  host: /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/,
  brickRoot: /^\/[A-Za-z0-9/_.-]{1,200}$/,
  optionKey: /^[a-z][a-z0-9_.-]{0,127}$/,
  brickId: /^s(\d{1,5})b(\d{1,5})$/,
  heketiId: /^[0-9a-f]{32}$/,
  /** LVM VG and LV names. */
  lvmName: /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$/,
} as const;

/** Substrings LVM reserves for its internal LVs; a name containing one is refused by lvcreate. */
const LVM_RESERVED = [
  "_cdata",
  "_cmeta",
  "_corig",
  "_cpool",
  "_cvol",
  "_imeta",
  "_iorig",
  "_mimage",
  "_mlog",
  "_pmspare",
  "_rimage",
  "_rmeta",
  "_tdata",
  "_tmeta",
  "_vdata",
  "_vorigin",
  "_wcorig",
  "_vdo",
];

function check(field: string, value: unknown, pattern: RegExp, allowed: string): string {
  if (typeof value !== "string" || !pattern.test(value)) throw new ValidationError(field, value, allowed);
  return value;
}

export function assertClusterId(id: unknown, field = "cluster"): string {
  return check(field, id, PATTERNS.cluster, "a lowercase letter, then a-z, 0-9, '-' (at most 31)");
}

export function assertVolumeName(name: unknown, field = "volume name"): string {
  const v = check(field, name, PATTERNS.volume, "a letter, then letters, digits, '_', '-' (at most 64)");
  const bad = LVM_RESERVED.find((r) => v.toLowerCase().includes(r));
  if (bad) throw new ValidationError(field, name, "no LVM reserved substring", `contains "${bad}"`);
  if (v.toLowerCase() === "all")
    throw new ValidationError(field, name, "any name but 'all'", "reserved by gluster");
  return v;
}

/** The Volume resource owning a volume ("project/stack/resource"): printable, never an option-like word. */
export function assertOwner(owner: unknown, field = "owner"): string {
  const allowed = "printable text of at most 400 characters, starting with a letter, digit, '_' or '.'";
  const v = check(field, owner, /^[A-Za-z0-9_.].{0,399}$/su, allowed);
  if ([...v].some((c) => c < " " || c === "\x7f")) throw new ValidationError(field, owner, allowed);
  return v;
}

export function assertDevicePath(path: unknown, field = "device"): string {
  const v = check(field, path, PATTERNS.device, "a device path such as /dev/vdb or /dev/disk/by-id/...");
  if (v.split("/").some((seg) => seg === "." || seg === "..") || v.includes("//"))
    throw new ValidationError(field, path, "a normalised path", "no '.', '..' or '//' segments");
  return v;
}

export function assertHost(host: unknown, field = "host"): string {
  return check(field, host, PATTERNS.host, "a hostname or IPv4 address (letters, digits, '.', '-')");
}

export function assertBrickRoot(root: unknown, field = "brickRoot"): string {
  const v = check(field, root, PATTERNS.brickRoot, "an absolute path of letters, digits, '/', '_', '.', '-'");
  const segs = v.split("/").slice(1);
  if (segs.some((s) => s === "" || s === "." || s === ".."))
    throw new ValidationError(field, root, "a normalised absolute path", "no empty, '.' or '..' segments");
  if (["/", "/etc", "/dev", "/proc", "/sys", "/boot", "/usr", "/bin", "/sbin", "/lib"].includes(v))
    throw new ValidationError(field, root, "a directory for bricks", "a system directory");
  return v;
}

export function assertOptionKey(key: unknown, field = "option"): string {
  return check(field, key, PATTERNS.optionKey, "a dotted lowercase Gluster option name");
}

/** Option values are quoted, but control characters would still confuse the Gluster CLI. */
export function assertOptionValue(key: string, value: unknown): string {
  if (
    typeof value !== "string" ||
    value.length > 1024 ||
    [...value].some((c) => c.charCodeAt(0) < 0x20 || c === "\x7f")
  )
    throw new ValidationError(`option ${key}`, value, "a string of at most 1024 printable characters");
  return value;
}

export function assertBrickIndex(set: unknown, index: unknown): { set: number; index: number } {
  for (const [f, v] of [
    ["set", set],
    ["index", index],
  ] as const)
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 99999)
      throw new ValidationError(`brick ${f}`, v, "an integer 0..99999");
  return { set: set as number, index: index as number };
}

export function assertGid(gid: unknown): number {
  if (typeof gid !== "number" || !Number.isInteger(gid) || gid < 0 || gid > 4294967294)
    throw new ValidationError("gid", gid, "an integer 0..4294967294");
  return gid;
}

export function assertMode(mode: unknown): string {
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o7777)
    throw new ValidationError("mode", mode, "a permission mode 0..0o7777");
  return mode.toString(8).padStart(4, "0");
}

export function assertBytes(field: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0)
    throw new ValidationError(field, n, "a positive whole number of bytes");
  return n;
}

// ---------------------------------------------------------------- names

/** LVM names may use [A-Za-z0-9+_.-]; anything else in a device basename becomes '_'. */
function lvmSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9+_.-]/g, "_");
}

export function deviceBasename(device: string): string {
  const parts = assertDevicePath(device).split("/");
  return parts[parts.length - 1] as string;
}

export function vgName(cluster: string, device: string): string {
  const name = `gfs_${assertClusterId(cluster)}_${lvmSafe(deviceBasename(device))}`;
  return check("volume group name", name, PATTERNS.lvmName, "an LVM name of at most 127 characters");
}

export function brickId(set: number, index: number): string {
  assertBrickIndex(set, index);
  return `s${set}b${index}`;
}

export function thinPoolName(volume: string, set: number, index: number): string {
  return `tp_${assertVolumeName(volume)}_${brickId(set, index)}`;
}

export function brickLvName(volume: string, set: number, index: number): string {
  return `brick_${assertVolumeName(volume)}_${brickId(set, index)}`;
}

export function brickMountPath(brickRoot: string, volume: string, set: number, index: number): string {
  return `${assertBrickRoot(brickRoot)}/${assertVolumeName(volume)}/${brickId(set, index)}`;
}

/** The directory Gluster uses as the brick: one level below the mount, so an unmounted brick fails to start. */
export function brickDirPath(mount: string): string {
  return `${mount}/brick`;
}

export function brickSpec(host: string, path: string): string {
  return `${assertHost(host, "brick host")}:${path}`;
}

/** /dev/<vg>/<lv>: the udev symlink, stable across reboots and readable in fstab. */
export function lvDevicePath(vg: string, lv: string): string {
  return `/dev/${vg}/${lv}`;
}

/** /dev/mapper/<vg>-<lv> with '-' doubled, as device-mapper and findmnt spell it. */
export function lvMapperPath(vg: string, lv: string): string {
  return `/dev/mapper/${vg.replace(/-/g, "--")}-${lv.replace(/-/g, "--")}`;
}

// ---------------------------------------------------------------- LVM tags

/**
 * LVM tags allow only [A-Za-z0-9_+.-/=!:&#]. Values are encoded so that any string survives:
 * '#' and every other character outside that set become '#' plus two hex digits per UTF-8 byte.
 */
export function encodeTagValue(value: string): string {
  let out = "";
  for (const ch of value) {
    if (/[A-Za-z0-9_+.\-/=!:&]/.test(ch)) out += ch;
    else for (const b of new TextEncoder().encode(ch)) out += "#" + b.toString(16).padStart(2, "0");
  }
  return out;
}

export function decodeTagValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const m = value[i] === "#" ? /^[0-9a-f]{2}$/i.exec(value.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(parseInt(m[0], 16));
      i += 2;
    } else bytes.push(...new TextEncoder().encode(value[i] as string));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

export function tag(key: string, value: string): string {
  return `${key}=${encodeTagValue(value)}`;
}

/** Splits LVM's comma-separated tag list into key/value pairs (tags without '=' get value ""). */
export function parseTags(list: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list.split(",").filter((s) => s !== "")) {
    const eq = t.indexOf("=");
    if (eq < 0) out[t] = "";
    else out[t.slice(0, eq)] = decodeTagValue(t.slice(eq + 1));
  }
  return out;
}

export function deviceTags(cluster: string, device: string): string[] {
  return [tag(TAG.cluster, assertClusterId(cluster)), tag(TAG.device, assertDevicePath(device))];
}

export function brickTags(
  volume: string,
  set: number,
  index: number,
  role: BrickRole,
  owner?: string,
): string[] {
  return [
    tag(TAG.volume, assertVolumeName(volume)),
    tag(TAG.brick, brickId(set, index)),
    tag(TAG.role, role),
    ...(owner !== undefined
      ? [tag(TAG.owner, check("brick owner", owner, /^[0-9a-f]{8,64}$/, "a hex digest"))]
      : []),
  ];
}

// ---------------------------------------------------------------- reading names back

export type ParsedLvName =
  | { origin: "ours"; kind: "pool" | "brick"; volume: string; set: number; index: number }
  | { origin: "heketi"; kind: "pool" | "brick"; id: string };

export function parseLvName(name: string): ParsedLvName | undefined {
  const ours = /^(tp|brick)_([A-Za-z][A-Za-z0-9_-]*)_s(\d+)b(\d+)$/.exec(name);
  if (ours)
    return {
      origin: "ours",
      kind: ours[1] === "tp" ? "pool" : "brick",
      volume: ours[2] as string,
      set: Number(ours[3]),
      index: Number(ours[4]),
    };
  const heketi = /^(tp|brick)_([0-9a-f]{32})$/.exec(name);
  if (heketi)
    return { origin: "heketi", kind: heketi[1] === "tp" ? "pool" : "brick", id: heketi[2] as string };
  return undefined;
}

export type ParsedVgName =
  { origin: "ours"; cluster: string; device: string } | { origin: "heketi"; id: string };

export function parseVgName(name: string): ParsedVgName | undefined {
  const heketi = /^vg_([0-9a-f]{32})$/.exec(name);
  if (heketi) return { origin: "heketi", id: heketi[1] as string };
  const ours = /^gfs_([a-z][a-z0-9-]{0,30})_(.+)$/.exec(name);
  if (ours) return { origin: "ours", cluster: ours[1] as string, device: ours[2] as string };
  return undefined;
}

/** Heketi mounts bricks at /var/lib/heketi/mounts/vg_<device id>/brick_<brick id>(/brick). */
export function parseHeketiBrickPath(path: string): { vg: string; lv: string } | undefined {
  const m = /^\/var\/lib\/heketi\/mounts\/(vg_[0-9a-f]{32})\/(brick_[0-9a-f]{32})(\/brick)?\/?$/.exec(path);
  return m ? { vg: m[1] as string, lv: m[2] as string } : undefined;
}
