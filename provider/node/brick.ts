// Bricks: a thin pool plus a thin LV (tagged), XFS with Gluster's inode settings, mounted under
// the brick root and persisted in /etc/fstab, a brick directory below the mount; grow in place;
// destroy (unmount with a diagnosis when busy, fstab line first, then LV and pool).
import type { RemoteExecutor } from "../core/exec";
import { ValidationError } from "../core/errors";
import type { BrickRecord } from "../core/brick";
import {
  PATTERNS,
  assertBrickPath,
  assertBytes,
  assertGid,
  assertMode,
  brickDirPath,
  brickTags,
  lvDevicePath,
} from "../core/names";
import { sh } from "../core/shell";
import { ScriptBuilder } from "./script";
import { runStep } from "./step";

export const MOUNT_OPTIONS = "rw,inode64,noatime,nouuid";

/**
 * A brick to make: the record planned in core (provider/core/brick.ts: names, mount, sizes, the
 * thin-pool metadata size included) plus how to format it. The builders read it and compute
 * nothing of it again; they check every field before it reaches the shell.
 */
export interface BrickSpec extends BrickRecord {
  /** Thin pool chunk size; default 256 KiB (JBOD). */
  chunkKiB?: number;
  /** Group owning the brick directory (setgid, group-writable). */
  gid?: number;
  /** Brick directory mode; default 0o2775 when gid is given. */
  mode?: number;
  /** XFS stripe geometry for RAID (not used for arbiter bricks). */
  xfs?: { suKiB: number; sw: number };
  /** maxpct for arbiter bricks (they hold only metadata); default 100. */
  arbiterMaxPct?: number;
  /** Owner digest tagged on pool and LV; an existing pool without it is refused, never reused. */
  owner?: string;
}

/** Where a brick lives on its node: enough to find, grow or destroy it (ours or Heketi's). */
export interface BrickRef {
  vg: string;
  pool: string;
  lv: string;
  mount: string;
}

/** The location fields of a brick record, checked (LVM names, a normalised mount path). */
export function brickRef(r: BrickRef): BrickRef {
  for (const [field, name] of [
    ["vg", r.vg],
    ["pool", r.pool],
    ["lv", r.lv],
  ] as const)
    if (typeof name !== "string" || !PATTERNS.lvmName.test(name))
      throw new ValidationError(field, name, "an LVM name (letters, digits, '+', '_', '.', '-')");
  return { vg: r.vg, pool: r.pool, lv: r.lv, mount: assertBrickPath(r.mount, "mount") };
}

function mkfsArgs(spec: BrickSpec): string[] {
  const args = ["-f", "-q", "-i", "size=512", "-n", "size=8192"];
  if (spec.role === "arbiter") {
    const pct = spec.arbiterMaxPct ?? 100;
    if (!Number.isInteger(pct) || pct < 1 || pct > 100)
      throw new ValidationError("arbiterMaxPct", pct, "1..100");
    args.push("-i", `maxpct=${pct}`);
  } else if (spec.xfs) {
    const { suKiB, sw } = spec.xfs;
    if (!Number.isInteger(suKiB) || suKiB < 4 || suKiB > 65536 || !Number.isInteger(sw) || sw < 1 || sw > 64)
      throw new ValidationError("xfs", spec.xfs, "suKiB 4..65536 and sw 1..64");
    args.push("-d", `su=${suKiB}k,sw=${sw}`);
  }
  return args;
}

/**
 * Helpers shared by the brick steps. fstab: exact match on the mount point field, outside
 * comments. Every edit goes through replace_file (atomic, owner and mode kept) and changes only
 * the lines of the mount point it was given: every other line is copied byte for byte, and a
 * file without a final newline keeps it that way unless a line is added after its last one.
 * The values reach awk through its environment (awk -v would expand backslash escapes).
 */
const BRICK_HELPERS = String.raw`fstab=/etc/fstab
fstab_get() { m="$1" awk '$1 !~ /^#/ && $2 == ENVIRON["m"]' "$fstab"; }
fstab_edit() { # fstab_edit MOUNT [LINE]: drops every line for MOUNT, then appends LINE if given
  local nl=0 line=
  [ $# -lt 2 ] || line=$2
  [ -n "$(tail -c1 "$fstab")" ] || nl=1
  m="$1" l="$line" nl="$nl" replace_file "$fstab" awk '
    { if (held) printf "%s\n", prev; held = 0 }
    $1 !~ /^#/ && $2 == ENVIRON["m"] { next }
    { prev = $0; held = 1 }
    END {
      if (held) printf "%s%s", prev, (ENVIRON["nl"] == 1 ? "\n" : "")
      if (ENVIRON["l"] != "") { if (held && ENVIRON["nl"] != 1) printf "\n"; printf "%s\n", ENVIRON["l"] }
    }'
}
fstab_put() { # fstab_put MOUNT LINE: exactly one line for MOUNT
  local cur; cur=$(fstab_get "$1") || fail "cannot read $fstab on $(hostname)"
  [ "$cur" = "$2" ] && return 0
  fstab_edit "$1" "$2"
  change "fstab $1"
}
fstab_del() { # fstab_del MOUNT: no line for MOUNT
  local cur; cur=$(fstab_get "$1") || fail "cannot read $fstab on $(hostname)"
  [ -n "$cur" ] || return 0
  fstab_edit "$1"
  change "fstab-remove $1"
}
# list_lvs: reads every LV of $vg once, as "name|tags|size|pool" lines, into $lv_listing (every
# later question about $vg's LVs is answered from it, not by another LVM call: each costs a device
# scan). A VG missing from the list of VGs holds nothing (vg_present=0); a listing LVM cannot give
# fails the step, so that "cannot tell" is never read as "absent".
list_lvs() {
  local names
  names=$(vgs --noheadings -o vg_name) || fail "cannot list the volume groups on $(hostname) (LVM's message above)"
  if ! printf '%s\n' "$names" | tr -d ' ' | grep -qxF "$vg"; then vg_present=0; lv_listing=""; return 0; fi
  vg_present=1
  relist_lvs
}
# relist_lvs: list_lvs for a VG known to exist (after this step changed its LVs).
relist_lvs() {
  local out
  out=$(lvs --noheadings --units b --nosuffix --separator '|' -o lv_name,lv_tags,lv_size,pool_lv "$vg") || fail "cannot list the logical volumes of $vg on $(hostname) (LVM's message above)"
  lv_listing=$(printf '%s\n' "$out" | tr -d ' ')
}
# listed LV: whether the listing holds LV. listed_field LV N: field N of its line (2 tags, 3 size).
listed() { printf '%s\n' "$lv_listing" | awk -F'|' -v n="$1" '$1 == n { found = 1 } END { exit !found }'; }
listed_field() { printf '%s\n' "$lv_listing" | awk -F'|' -v n="$1" -v f="$2" '$1 == n { print $f; exit }'; }
# pool_users POOL EXCEPT: how many thin LVs (snapshots included) the listing has in POOL, EXCEPT aside.
pool_users() { printf '%s\n' "$lv_listing" | awk -F'|' -v p="$1" -v x="$2" '$4 == p && $1 != x { n++ } END { print n + 0 }'; }
# lv_exists LV: whether $vg holds LV. Decided from listings (a VG missing from the list of VGs
# holds nothing); a listing LVM cannot give fails the step, so that "cannot tell" is never read
# as "gone" (a destroy would report success and leave the LV behind, recorded nowhere).
lv_exists() {
  local names
  names=$(vgs --noheadings -o vg_name) || fail "cannot list the volume groups on $(hostname) (LVM's message above)"
  printf '%s\n' "$names" | tr -d ' ' | grep -qxF "$vg" || return 1
  names=$(lvs --noheadings -o lv_name "$vg") || fail "cannot list the logical volumes of $vg on $(hostname) (LVM's message above)"
  printf '%s\n' "$names" | tr -d ' ' | grep -qxF "$1"
}
lv_bytes() { lvs --noheadings --units b --nosuffix -o lv_size "$vg/$1" | tr -d ' '; }
# brick_use DIR: whether a Gluster volume lists DIR as a brick of this node: prints "used", "unused"
# or "unknown: WHY". Only a successful answer from glusterd counts; anything else is unknown, and
# callers treat unknown as used (a brick is never reset or destroyed on a guess).
brick_use() {
  local out why
  out=$(timeout 120 gluster --mode=script volume info --xml 2>&1) || true
  if [ "$(printf '%s' "$out" | xml_ret)" != 0 ]; then
    why=$(printf '%s' "$out" | xml_err)
    [ -n "$why" ] || why=$(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')
    if ! systemctl is-active --quiet glusterd >/dev/null 2>&1; then
      echo "unknown: glusterd is not running on $(hostname), so Gluster cannot say whether a volume still uses $1"
    else
      echo "unknown: 'gluster volume info' failed on $(hostname) ($(printf '%.300s' "$why")), so Gluster cannot say whether a volume still uses $1"
    fi
    return 0
  fi
  if printf '%s\n' "$out" | grep -qF ":$1</name>"; then echo used; else echo unused; fi
}`;

export function buildCreateBrick(spec: BrickSpec) {
  const ref = brickRef(spec);
  const size = assertBytes("size", spec.size);
  const poolSize = assertBytes("poolSize", spec.poolSize);
  const meta = assertBytes("metadataSize", spec.metadataSize);
  const chunk = spec.chunkKiB ?? 256;
  if (!Number.isInteger(chunk) || chunk < 64 || chunk > 1048576 || chunk % 64 !== 0)
    throw new ValidationError("chunkKiB", chunk, "a multiple of 64 between 64 and 1048576");
  const tags = brickTags(spec.volume, spec.set, spec.index, spec.role, spec.owner);
  const tagArgs = tags.flatMap((t) => ["--addtag", t]);
  const dir = assertBrickPath(spec.path, "path");
  if (dir !== brickDirPath(ref.mount))
    throw new ValidationError(
      "path",
      dir,
      `the brick directory below the mount (${brickDirPath(ref.mount)})`,
    );
  const dev = lvDevicePath(ref.vg, ref.lv);
  const gid = spec.gid === undefined ? undefined : assertGid(spec.gid);
  const mode = spec.mode !== undefined ? assertMode(spec.mode) : gid !== undefined ? "2775" : undefined;
  const fstabLine = `${dev} ${ref.mount} xfs ${MOUNT_OPTIONS} 1 2`;
  const b = new ScriptBuilder("brick.create", { timeoutMs: 600_000 }).add(BRICK_HELPERS).add(
    sh`vg=${ref.vg}; pool=${ref.pool}; lv=${ref.lv}; mnt=${ref.mount}; dir=${dir}; dev=${dev}
vol_tag=${tags[0] as string}; own_tag=${tags[3] ?? ""}
list_lvs
[ "$vg_present" = 1 ] || fail "volume group $vg not found on $(hostname): prepare the device first"
created=0
if ! listed "$pool"; then
  listed "$lv" && fail "thin LV $vg/$lv exists without its pool $pool"
  modprobe dm_thin_pool 2>/dev/null || true
  lvcreate -qq -y ${tagArgs} --zero n --chunksize ${chunk}K --poolmetadatasize ${meta}b --size ${poolSize}b --thin "$vg/$pool" --virtualsize ${size}b --name "$lv"
  change "lvcreate $vg/$pool $vg/$lv"
  created=1
else
  pool_tags=$(listed_field "$pool" 2)
  case ",$pool_tags," in *",$vol_tag,"*) ;; *) refuse "thin pool $vg/$pool exists but is not tagged $vol_tag" ;; esac
  if [ -n "$own_tag" ]; then case ",$pool_tags," in *",$own_tag,"*) ;; *) refuse "thin pool $vg/$pool exists but belongs to another volume resource (not tagged $own_tag)" ;; esac; fi
  if ! listed "$lv"; then
    lvcreate -qq -y --thin --virtualsize ${size}b --name "$lv" "$vg/$pool"
    change "lvcreate $vg/$lv"
    created=1
  fi
fi
# The LV gets its tags only after mkfs succeeded: an untagged LV is one we were cut off formatting.
# One this step created was never formatted (and lvcreate activated it); one found may be inactive.
if [ "$created" = 1 ]; then
  lv_tag_list=""
else
  [ -e "$dev" ] || lvchange -ay "$vg/$lv" >/dev/null 2>&1 || true
  lv_tag_list=$(listed_field "$lv" 2)
fi
case ",$lv_tag_list," in
  *",$vol_tag,"*) ;;
  *)
    mountpoint -q "$mnt" && fail "$mnt is mounted but $vg/$lv was never recorded as formatted"
    mkfs.xfs ${mkfsArgs(spec)} "$dev"
    change "mkfs.xfs $dev"
    lvchange -qq ${tagArgs} "$vg/$lv"
    change "tag $vg/$lv"
    ;;
esac
mkdir -p "$mnt"
fstab_put "$mnt" ${fstabLine}
if ! mountpoint -q "$mnt"; then
  mount "$mnt"
  change "mount $mnt"
fi
[ "$(readlink -f "$(findmnt -n -o SOURCE --mountpoint "$mnt")")" = "$(readlink -f "$dev")" ] || fail "$mnt is mounted from $(findmnt -n -o SOURCE --mountpoint "$mnt"), not from $dev"
if [ ! -d "$dir" ]; then mkdir "$dir"; change "mkdir $dir"; fi
# A failed 'volume create' leaves Gluster's marks on the brick directory, and the next create
# refuses it ("already part of a volume"). Reset them only if no volume uses the directory and
# it holds no data.
if getfattr --absolute-names -n trusted.glusterfs.volume-id "$dir" >/dev/null 2>&1; then
  use=$(brick_use "$dir")
  case "$use" in
    unused)
      [ -z "$(ls -A "$dir" | grep -vx .glusterfs)" ] || refuse "$dir carries a volume id from an earlier volume and holds data; not reusing it"
      setfattr -x trusted.glusterfs.volume-id "$dir"
      setfattr -x trusted.gfid "$dir" 2>/dev/null || true
      rm -rf "$dir/.glusterfs"
      change "reset stale brick directory $dir"
      ;;
    unknown*) refuse_because gluster-unknown "$dir carries a volume id and it is not known whether a volume still uses it: \${use#unknown: }; not resetting it" ;;
  esac
fi`,
    9,
  );
  if (gid !== undefined || mode !== undefined) {
    b.add(
      sh`want_gid=${gid ?? -1}; want_mode=${mode ?? ""}
if [ "$want_gid" != -1 ] && [ "$(stat -c %g "$dir")" != "$want_gid" ]; then chown ":$want_gid" "$dir"; change "chown $dir"; fi
if [ -n "$want_mode" ] && [ "$(printf '%04o' "$((8#$(stat -c %a "$dir")))")" != "$want_mode" ]; then chmod "$want_mode" "$dir"; change "chmod $dir"; fi`,
      2,
    );
  }
  b.add(
    `[ "$created" = 1 ] && relist_lvs\nprintf '@@value size %s\\n' "$(listed_field "$lv" 3)"\nprintf '@@value pool-size %s\\n' "$(listed_field "$pool" 3)"`,
    2,
  );
  return b.build();
}

export interface BrickState {
  ref: BrickRef;
  /** host-relative brick directory, for `host:path` brick specs. */
  path: string;
  device: string;
  sizeBytes: number;
  poolSizeBytes: number;
  changes: string[];
}

/** A brick check that Gluster could not answer: the provider assumes the brick is in use. */
const GLUSTER_UNKNOWN_HINT =
  "start glusterd on the node (systemctl start glusterd) or fix what made 'gluster volume info' fail, then retry; " +
  "the provider only resets or destroys a brick once Gluster confirms that no volume uses it";

export async function createBrick(exec: RemoteExecutor, spec: BrickSpec): Promise<BrickState> {
  const r = await runStep(exec, buildCreateBrick(spec), { "gluster-unknown": GLUSTER_UNKNOWN_HINT });
  const ref = brickRef(spec);
  return {
    ref,
    path: brickDirPath(ref.mount),
    device: lvDevicePath(ref.vg, ref.lv),
    sizeBytes: Number(r.output.values.get("size") ?? 0),
    poolSizeBytes: Number(r.output.values.get("pool-size") ?? 0),
    changes: r.changes,
  };
}

/** Grows pool and LV to the given sizes, then the filesystem; refuses to shrink. */
export function buildGrowBrick(ref: BrickRef, sizes: { sizeBytes: number; poolSizeBytes?: number }) {
  const size = assertBytes("sizeBytes", sizes.sizeBytes);
  const poolSize = assertBytes("poolSizeBytes", sizes.poolSizeBytes ?? size);
  return new ScriptBuilder("brick.grow", { timeoutMs: 600_000 })
    .add(BRICK_HELPERS)
    .add(
      sh`vg=${ref.vg}; pool=${ref.pool}; lv=${ref.lv}; mnt=${ref.mount}; want=${size}; want_pool=${poolSize}
lv_exists "$lv" || fail "brick LV $vg/$lv not found on $(hostname)"
mountpoint -q "$mnt" || fail "$mnt is not mounted; create the brick first"
extent=$(vgs --noheadings --units b --nosuffix -o vg_extent_size "$vg" | tr -d ' ')
round() { echo $(( ($1 + extent - 1) / extent * extent )); }
cur_pool=$(lv_bytes "$pool"); cur=$(lv_bytes "$lv")
[ "$cur" -le "$(round "$want")" ] || refuse "brick $vg/$lv is $cur bytes; shrinking to $want is not supported"
if [ "$cur_pool" -lt "$(round "$want_pool")" ]; then lvextend -qq -L "\${want_pool}b" "$vg/$pool"; change "lvextend $vg/$pool"; fi
if [ "$cur" -lt "$(round "$want")" ]; then lvextend -qq -L "\${want}b" "$vg/$lv"; change "lvextend $vg/$lv"; fi
read -r bsize blocks < <(xfs_info "$mnt" | sed -n 's/^data *= *bsize=\([0-9]*\) *blocks=\([0-9]*\).*/\1 \2/p')
if [ $(( $(lv_bytes "$lv") - bsize * blocks )) -ge $(( 1024 * 1024 )) ]; then xfs_growfs "$mnt" >/dev/null; change "xfs_growfs $mnt"; fi
printf '@@value size %s\n' "$(lv_bytes "$lv")"
printf '@@value pool-size %s\n' "$(lv_bytes "$pool")"`,
      6,
    )
    .build();
}

export async function growBrick(
  exec: RemoteExecutor,
  ref: BrickRef,
  sizes: { sizeBytes: number; poolSizeBytes?: number },
): Promise<{ sizeBytes: number; poolSizeBytes: number; changes: string[] }> {
  const r = await runStep(exec, buildGrowBrick(ref, sizes));
  return {
    sizeBytes: Number(r.output.values.get("size") ?? 0),
    poolSizeBytes: Number(r.output.values.get("pool-size") ?? 0),
    changes: r.changes,
  };
}

export interface DestroyBrickOptions {
  /** Destroy even if a Gluster volume still lists the brick directory. */
  force?: boolean;
}

/**
 * Unmount (diagnosing a busy mount with fuser/lsof), remove the fstab line before any LVM
 * change (a crash never leaves a dangling entry), remove the LV, then the pool once empty.
 */
export function buildDestroyBrick(ref: BrickRef, opts: DestroyBrickOptions = {}) {
  const dir = brickDirPath(ref.mount);
  return new ScriptBuilder("brick.destroy", { timeoutMs: 300_000 })
    .add(BRICK_HELPERS)
    .add(
      sh`vg=${ref.vg}; pool=${ref.pool}; lv=${ref.lv}; mnt=${ref.mount}; dir=${dir}; force=${opts.force ? 1 : 0}
if [ "$force" != 1 ]; then
  use=$(brick_use "$dir")
  case "$use" in
    used) refuse_because brick-in-use "a Gluster volume still uses $dir on $(hostname): delete the volume (or remove the brick) first" ;;
    unknown*) refuse_because gluster-unknown "not destroying $dir: \${use#unknown: }" ;;
  esac
fi
if mountpoint -q "$mnt"; then
  if ! err=$(umount "$mnt" 2>&1); then
    case "$err" in
      *busy*)
        {
          echo "processes using $mnt (fuser -vm):"; fuser -vm "$mnt" 2>&1 | head -n 20 || true
          if command -v lsof >/dev/null; then echo "open files (lsof):"; lsof +f -- "$mnt" 2>/dev/null | head -n 20 || true; fi
        } >&2
        fail_because busy "cannot unmount $mnt: $err" ;;
      *) fail "cannot unmount $mnt: $err" ;;
    esac
  fi
  change "umount $mnt"
fi
fstab_del "$mnt"
list_lvs
# The pool goes with its last thin LV, in the same lvremove; one that still holds others stays.
doomed=""
if listed "$lv"; then doomed="$vg/$lv"; fi
if listed "$pool"; then
  n=$(pool_users "$pool" "$lv")
  if [ "$n" = 0 ]; then doomed="$doomed $vg/$pool"; else printf '@@value pool-kept %s\n' "$n"; fi
fi
if [ -n "$doomed" ]; then
  lvremove -qq -y $doomed
  for x in $doomed; do change "lvremove $x"; done
fi
if [ -d "$mnt" ]; then rmdir "$mnt" 2>/dev/null && change "rmdir $mnt" || true; fi
rmdir "$(dirname "$mnt")" 2>/dev/null || true`,
      6,
    )
    .build();
}

export async function destroyBrick(
  exec: RemoteExecutor,
  ref: BrickRef,
  opts: DestroyBrickOptions = {},
): Promise<{ changes: string[]; poolKept: boolean }> {
  const r = await runStep(exec, buildDestroyBrick(ref, opts), {
    busy: "stop the volume or the process holding the brick (listed above), then retry",
    "brick-in-use": "delete the volume that uses the brick, or remove the brick from it, then retry",
    "gluster-unknown": GLUSTER_UNKNOWN_HINT,
  });
  return { changes: r.changes, poolKept: r.output.values.has("pool-kept") };
}
