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

// The default brick root is provider/core/defaults.ts `DEFAULT_BRICK_ROOT` (one place for each default).
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

/** One DNS label: letters, digits and '-', not at either end (Gluster's valid_host_name). */
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

export const PATTERNS = {
  cluster: /^[a-z][a-z0-9-]{0,30}$/,
  /** Gluster allows letters, digits, '-' and '_'; we also require a leading letter and cap the length. */
  volume: /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
  device: /^\/dev\/[A-Za-z0-9][A-Za-z0-9/_.:+-]{0,127}$/,
  /** A hostname or an IPv4 address (dotted labels); an optional trailing dot is the root zone. */
  host: new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`),
  /** Absolute, normalised: '/'-separated segments of letters, digits, '_', '.', '-'. */
  brickRoot: /^(?:\/[A-Za-z0-9_.-]+)+$/,
  /** Gluster option names: dotted lowercase words (every option glusterd knows has at least one dot). */
  optionKey: /^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]*[a-z0-9])+$/,
  brickId: /^s(\d{1,5})b(\d{1,5})$/,
  heketiId: /^[0-9a-f]{32}$/,
  /** LVM VG and LV names. */
  lvmName: /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$/,
  /**
   * Node and device tag names (and the KEY of a tag-match rule): Heketi's characters. Heketi caps
   * names at 32; we allow 64 because earlier releases of this provider accepted that on resources,
   * and every Heketi topology still fits.
   */
  tagKey: /^[A-Za-z0-9_.-]{1,64}$/,
} as const;

/** Numeric bounds the builders enforce; the model uses the same. */
export const LIMITS = {
  gidMax: 4294967294,
  brickIndexMax: 99999,
  /** A brick path is <brickRoot>/<volume>/s<set>b<index>/brick and must stay within 251 characters. */
  brickRootLength: 160,
  brickPathLength: 251,
  hostLength: 253,
  optionValueLength: 1024,
  /** Heketi's zones are int32. */
  zoneMax: 2147483647,
  /** Tag values (Heketi's cap is 64; earlier releases of this provider accepted 128 on resources). */
  tagValueLength: 128,
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

/**
 * Words the gluster CLI will not take as a volume name (its cli_validate_volname list), plus
 * "help", which `gluster volume set help` and `gluster volume info help` read as a request for help.
 * "all" is the one that bites: `gluster volume set all ...` sets an option of the whole pool.
 */
export const GLUSTER_RESERVED_VOLUME_NAMES = [
  "activate-on-create",
  "all",
  "auto-delete",
  "description",
  "end-volume",
  "force",
  "help",
  "option",
  "snap-max-hard-limit",
  "snap-max-soft-limit",
  "subvolumes",
  "type",
  "volume",
  "volume_not_in_ring",
];

/** Options under this prefix are the provider's own markers (ownership, rebalance progress). */
export const RESERVED_OPTION_PREFIX = "user.glusterfs-provider.";

/**
 * Brick roots refused together with everything below them: system trees, pseudo-filesystems,
 * directories that cleaners empty (a tmp cleaner would delete files inside mounted bricks), and
 * glusterd's and Heketi's own state.
 */
const FORBIDDEN_BRICK_TREES = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/tmp",
  "/usr",
  "/var/cache",
  "/var/lib/glusterd",
  "/var/lib/heketi",
  "/var/lock",
  "/var/log",
  "/var/run",
  "/var/tmp",
];
/** Shared directories refused as the root itself (a dedicated directory below them is fine). */
const SHARED_BRICK_DIRS = ["/", "/home", "/var", "/var/lib"];

// ---------------------------------------------------------------- rules

/**
 * Why a value is refused and how to fix it. Every rule below is used twice: by the zod model
 * (so `check` refuses in preview) and by the builders' assert* functions (so nothing unchecked
 * reaches a node).
 */
export interface Refusal {
  /** Completes "the value X ...". */
  why: string;
  /** What to write instead, as an instruction. */
  fix: string;
}
export type Rule = (value: string) => Refusal | undefined;

/** JSON of a value, shortened: what a refusal quotes. */
export function quoted(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "field: the value X why; fix" */
export function refusalText(field: string, value: unknown, r: Refusal): string {
  return `${field}: the value ${quoted(value)} ${r.why}; ${r.fix}`;
}

/** A ValidationError from a rule: field, value and fix, with the same sentence `check` shows. */
export class RefusedValue extends ValidationError {
  constructor(field: string, value: unknown, refusal: Refusal) {
    super(field, value, refusal.fix, refusal.why);
    this.message = refusalText(field, value, refusal);
  }
}

function enforce(field: string, value: unknown, rule: Rule): string {
  if (typeof value !== "string")
    throw new RefusedValue(field, value, { why: "is not a string", fix: "give a string" });
  const r = rule(value);
  if (r) throw new RefusedValue(field, value, r);
  return value;
}

export const clusterIdRule: Rule = (v) =>
  PATTERNS.cluster.test(v)
    ? undefined
    : {
        why: "is not a cluster id",
        fix: "start with a lowercase letter and use a-z, 0-9 and '-' (at most 31 characters)",
      };

/** The owner of a volume ("project/stack/resource", set by the SDK): it becomes a volume option's value. */
export const ownerRule: Rule = (v) => {
  if (!/^[A-Za-z0-9_.]/.test(v) || v.length > 400)
    return {
      why: "is not an owner",
      fix: "give at most 400 characters starting with a letter, digit, '_' or '.'",
    };
  if ([...v].some((c) => c < " " || c === "\x7f"))
    return { why: "holds a control character", fix: "remove it" };
  return undefined;
};

/** The digest of an owner that tags a brick's LVs. */
export const brickOwnerRule: Rule = (v) =>
  /^[0-9a-f]{8,64}$/.test(v) ? undefined : { why: "is not a hex digest", fix: "give 8 to 64 hex digits" };

export const volumeNameRule: Rule = (v) => {
  if (!PATTERNS.volume.test(v))
    return {
      why: "is not a volume name",
      fix: "start with a letter and use letters, digits, '_' and '-' (at most 64 characters)",
    };
  if (GLUSTER_RESERVED_VOLUME_NAMES.includes(v.toLowerCase()))
    return {
      why: "is a word the gluster CLI reserves (it reads it as part of a command)",
      fix: "choose another name",
    };
  const bad = LVM_RESERVED.find((r) => v.toLowerCase().includes(r));
  if (bad)
    return {
      why: `contains "${bad}", which is reserved by LVM for its internal volumes (brick LVs carry the name)`,
      fix: "choose a name without it",
    };
  return undefined;
};

export const devicePathRule: Rule = (v) => {
  if (!PATTERNS.device.test(v))
    return {
      why: "is not a device path",
      fix: "give a path such as /dev/vdb or /dev/disk/by-id/... (letters, digits, '/', '_', '.', ':', '+', '-')",
    };
  if (v.split("/").some((seg) => seg === "." || seg === "..") || v.includes("//") || v.endsWith("/"))
    return { why: "is not a normalised path", fix: "write it without '.', '..', '//' or a trailing '/'" };
  return undefined;
};

function isIPv4Like(v: string): boolean {
  return /^[0-9.]+$/.test(v.replace(/\.$/, ""));
}

/**
 * A hostname or an IPv4 address, as Gluster accepts for peers and bricks. IPv6 literals are
 * refused: a brick is named `host:/path` and mounts list backup servers separated by ':', and
 * glusterd needs `transport.address-family inet6` on every node; a hostname that resolves to the
 * IPv6 address works.
 */
export const hostRule: Rule = (v) => {
  if (v.includes(":") || v.includes("["))
    return {
      why: "is an IPv6 address, which this provider does not support (bricks are named host:/path and mount options separate servers by ':')",
      fix: "give a hostname that resolves to it, or an IPv4 address",
    };
  if (v.length > LIMITS.hostLength || !PATTERNS.host.test(v))
    return {
      why: "is not a hostname or IPv4 address",
      fix: "use dot-separated labels of letters, digits and '-' (not at either end of a label; no '_')",
    };
  if (isIPv4Like(v)) {
    const octets = v.replace(/\.$/, "").split(".");
    if (octets.length !== 4 || octets.some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith("0"))))
      return {
        why: "is all digits but not an IPv4 address",
        fix: "give four numbers 0-255 without leading zeros (e.g. 10.0.0.1), or a hostname",
      };
  }
  return undefined;
};

/** A host that Gluster uses for peers and bricks: `hostRule`, and not a loopback address (gluster refuses those). */
/** A tag name on a Node, a Device or in topology.json, and the KEY of a tag-match rule. */
export const tagKeyRule: Rule = (v) =>
  PATTERNS.tagKey.test(v)
    ? undefined
    : { why: "is not a tag name", fix: "use 1-64 letters, digits, '_', '.' or '-'" };

/**
 * A tag value. Tags only steer placement (they never reach a node's shell), so any printable text
 * is fine; control characters are refused because they would garble previews and errors.
 */
export const tagValueRule: Rule = (v) => {
  if (v.length > LIMITS.tagValueLength)
    return {
      why: `is ${v.length} characters long`,
      fix: `shorten the tag value to at most ${LIMITS.tagValueLength} characters`,
    };
  if ([...v].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)))
    return {
      why: "contains a control character (newline, tab, escape...)",
      fix: "use printable characters only",
    };
  return undefined;
};

export const storageHostRule: Rule = (v) => {
  const r = hostRule(v);
  if (r) return r;
  const lower = v.toLowerCase().replace(/\.$/, "");
  if (lower === "localhost" || lower.endsWith(".localhost") || /^(127|0)\.[0-9.]+$/.test(lower))
    return {
      why: "is a loopback address, which gluster refuses for peers and bricks",
      fix: "give the address other nodes reach this node at",
    };
  return undefined;
};

/** The key that identifies a host for duplicate checks: hostnames are case-insensitive, a final dot changes nothing. */
export function hostIdentity(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

export interface DuplicateNode {
  /** The later declaration (index into the list) and the field it repeats. */
  index: number;
  field: "manageAddress" | "storageAddress";
  refusal: Refusal;
  /** "the value X why; fix" */
  message: string;
}

/**
 * Nodes declared twice: the same manage or storage address, compared as hosts are (case and a
 * final dot do not count). The planner would take them for two nodes and put two bricks of one
 * set on one machine. `nameOf` says how messages name an earlier node (e.g. "topology.0").
 */
export function duplicateNodes(
  nodes: readonly { manageAddress: string; storageAddress: string }[],
  nameOf: (index: number) => string,
): DuplicateNode[] {
  const out: DuplicateNode[] = [];
  const seen = new Map<string, number>();
  nodes.forEach((n, i) => {
    const fields = ["manageAddress", "storageAddress"] as const;
    // One node's manage and storage addresses may be equal; another node may use neither.
    const field = fields.find((f) => seen.has(hostIdentity(n[f])));
    if (field) {
      const first = seen.get(hostIdentity(n[field]))!;
      const refusal = {
        why:
          `is also an address of ${nameOf(first)} (${nodes[first]!.manageAddress}): ` +
          `a node declared twice would get two bricks of one set`,
        fix: "declare each node once",
      };
      out.push({
        index: i,
        field,
        refusal,
        message: `the value ${quoted(n[field])} ${refusal.why}; ${refusal.fix}`,
      });
      return;
    }
    for (const f of fields) seen.set(hostIdentity(n[f]), i);
  });
  return out;
}

export const brickRootRule: Rule = (v) => {
  if (!v.startsWith("/"))
    return { why: "is not an absolute path", fix: "give an absolute path such as /var/lib/glusterfs-bricks" };
  if (v.length > LIMITS.brickRootLength)
    return {
      why: `is longer than ${LIMITS.brickRootLength} characters (brick paths below it must fit gluster's limits)`,
      fix: "choose a shorter path",
    };
  if (v === "/" || !PATTERNS.brickRoot.test(v) || v.split("/").some((s) => s === "." || s === ".."))
    return v === "/"
      ? { why: "is the root directory", fix: "give a dedicated directory such as /var/lib/glusterfs-bricks" }
      : {
          why: "is not a normalised absolute path of letters, digits, '/', '_', '.', '-'",
          fix: "write it without '.', '..', '//', a trailing '/' or other characters",
        };
  const tree = FORBIDDEN_BRICK_TREES.find((t) => v === t || v.startsWith(`${t}/`));
  if (tree)
    return {
      why: `is ${v === tree ? "" : "inside "}${tree}, a system directory: bricks are mounted and their directories removed there`,
      fix: "give a dedicated directory such as /var/lib/glusterfs-bricks or /srv/bricks",
    };
  if (SHARED_BRICK_DIRS.includes(v))
    return {
      why: "is a directory other software shares: bricks would be mounted beside (or over) its directories",
      fix: `give a dedicated directory below it, such as ${v === "/var/lib" ? "/var/lib/glusterfs-bricks" : `${v}/bricks`}`,
    };
  return undefined;
};

/**
 * A brick directory as gluster is given it (host:/path): normalised (gluster canonicalises the
 * path, so anything else would never match what `volume info` shows), within 251 characters.
 * No system-tree check: bricks Heketi made live under /var/lib/heketi and are read and imported.
 */
export const brickPathRule: Rule = (v) =>
  v.length <= LIMITS.brickPathLength &&
  PATTERNS.brickRoot.test(v) &&
  !v.split("/").some((s) => s === "." || s === "..")
    ? undefined
    : {
        why: `is not a normalised absolute path of letters, digits, '/', '_', '.', '-' (at most ${LIMITS.brickPathLength})`,
        fix: "leave brick paths to the planner",
      };

export const optionKeyRule: Rule = (v) => {
  if (v === "group")
    return {
      why: "sets a whole group of options from a file on the node, which cannot be compared with what is set",
      fix: "set the options of the group one by one",
    };
  if (v.length > 128 || !PATTERNS.optionKey.test(v))
    return {
      why: "is not a full Gluster option name",
      fix: "give the full dotted lowercase name, e.g. performance.cache-size (see `gluster volume set help`)",
    };
  return undefined;
};

/** An option a user may set: `optionKeyRule`, and none of the provider's own markers. */
export const userOptionKeyRule: Rule = (v) =>
  optionKeyRule(v) ??
  (v.startsWith(RESERVED_OPTION_PREFIX)
    ? {
        why: `is reserved: ${RESERVED_OPTION_PREFIX}* options are the provider's own markers (ownership, rebalance progress)`,
        fix: "choose another option name",
      }
    : undefined);

export const optionValueRule: Rule = (v) => {
  if (v === "")
    return { why: "is empty, which gluster refuses", fix: "give a value, or remove the option to reset it" };
  if (v.startsWith("-"))
    return {
      why: 'starts with "-", which the gluster CLI would take as its own option',
      fix: "give the value without a leading dash",
    };
  // C0 and C1 control characters and DEL: a newline would end the CLI's line-based output.
  if ([...v].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)))
    return {
      why: "contains a control character (newline, tab, escape...)",
      fix: "give the value on one line of printable characters",
    };
  if (v.trim() !== v)
    return {
      why: "has leading or trailing whitespace, which gluster strips from all but user.* options (the value set would never match)",
      fix: "give the value without surrounding blanks",
    };
  if (v.length > LIMITS.optionValueLength)
    return { why: `is longer than ${LIMITS.optionValueLength} characters`, fix: "give a shorter value" };
  return undefined;
};

// ---------------------------------------------------------------- asserts (the builders' side)

export function assertClusterId(id: unknown, field = "cluster"): string {
  return enforce(field, id, clusterIdRule);
}

export function assertVolumeName(name: unknown, field = "volume name"): string {
  return enforce(field, name, volumeNameRule);
}

/** The Volume resource owning a volume ("project/stack/resource"): printable, never an option-like word. */
export function assertOwner(owner: unknown, field = "owner"): string {
  return enforce(field, owner, ownerRule);
}

export function assertDevicePath(path: unknown, field = "device"): string {
  return enforce(field, path, devicePathRule);
}

/** A host Gluster is given (peer probe and detach, brick specs): `storageHostRule`. */
export function assertHost(host: unknown, field = "host"): string {
  return enforce(field, host, storageHostRule);
}

export function assertBrickRoot(root: unknown, field = "brickRoot"): string {
  return enforce(field, root, brickRootRule);
}

export function assertBrickPath(path: unknown, field = "brick path"): string {
  return enforce(field, path, brickPathRule);
}

/** Any option the provider sets, its own markers included. */
export function assertOptionKey(key: unknown, field = "option"): string {
  return enforce(field, key, optionKeyRule);
}

/** An option from the user: the provider's markers are refused. */
export function assertUserOptionKey(key: unknown, field = "option"): string {
  return enforce(field, key, userOptionKeyRule);
}

/** Option values are quoted, but gluster still parses them: see `optionValueRule`. */
export function assertOptionValue(key: string, value: unknown): string {
  return enforce(`options.${key}`, value, optionValueRule);
}

export function assertBrickIndex(set: unknown, index: unknown): { set: number; index: number } {
  for (const [f, v] of [
    ["set", set],
    ["index", index],
  ] as const)
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > LIMITS.brickIndexMax)
      throw new ValidationError(`brick ${f}`, v, `an integer 0..${LIMITS.brickIndexMax}`);
  return { set: set as number, index: index as number };
}

export function assertGid(gid: unknown): number {
  if (typeof gid !== "number" || !Number.isInteger(gid) || gid < 0 || gid > LIMITS.gidMax)
    throw new ValidationError("gid", gid, `an integer 0..${LIMITS.gidMax}`);
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
  const name = `gfs_${assertClusterId(cluster)}_${vgSuffix(device)}`;
  if (!PATTERNS.lvmName.test(name))
    throw new ValidationError("volume group name", name, "an LVM name of at most 127 characters");
  return name;
}

/** The part of a VG name a device path decides: its basename made LVM-safe. */
function vgSuffix(device: string): string {
  return lvmSafe(deviceBasename(device));
}

/**
 * The first device path of one node whose volume group name another path already takes (the
 * name keeps only the basename: /dev/vdb and /dev/mapper/vdb are both gfs_<cluster>_vdb).
 */
export function vgClash(
  paths: readonly string[],
  cluster = "<cluster>",
): { index: number; refusal: Refusal; message: string } | undefined {
  const seen = new Map<string, string>();
  for (const [index, path] of paths.entries()) {
    if (devicePathRule(path)) continue; // refused on its own, with its own reason
    const suffix = vgSuffix(path);
    const other = seen.get(suffix);
    if (other !== undefined) {
      const refusal =
        other === path
          ? { why: "is declared twice", fix: "declare each device once" }
          : {
              why:
                `maps to volume group gfs_${cluster}_${suffix}, as ${quoted(other)} does: ` +
                `one disk named twice, or two disks whose names end alike`,
              fix: "declare each disk once, by a path whose last part is unique on the node (e.g. /dev/disk/by-id/...)",
            };
      return { index, refusal, message: `the value ${quoted(path)} ${refusal.why}; ${refusal.fix}` };
    }
    seen.set(suffix, path);
  }
  return undefined;
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
    ...(owner !== undefined ? [tag(TAG.owner, enforce("brick owner", owner, brickOwnerRule))] : []),
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
