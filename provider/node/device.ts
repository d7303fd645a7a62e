// Devices: preflight (refuse partitions, signatures, filesystems, mounts, holders unless the
// caller opted in to wiping), PV + VG with our tags, grow after the disk grew, remove when empty.
import type { RemoteExecutor } from "../core/exec";
import { ValidationError } from "../core/errors";
import { TAG, assertClusterId, assertDevicePath, deviceTags, tag, vgName } from "../core/names";
import { sh } from "../core/shell";
import { parseVgs, VGS_FIELDS, type VolumeGroup } from "./lvm";
import { ScriptBuilder } from "./script";
import { runStep } from "./step";

export interface DeviceSpec {
  cluster: string;
  /** As the user names it (/dev/vdb, /dev/disk/by-id/...); recorded in the VG's tags. */
  device: string;
  /** Destroy existing partitions/signatures (never a mounted or held device). */
  wipe?: boolean;
  /** RAID geometry: data alignment = stripe unit x data disks. Default: JBOD, 256 KiB. */
  raid?: { stripeUnitKiB: number; dataDisks: number };
}

export interface DeviceIssue {
  kind: "partitions" | "signatures" | "mounted" | "holders" | "swap" | "md" | "pv" | "missing";
  detail: string;
}

export interface DeviceState {
  vg: string;
  changes: string[];
  volumeGroup: VolumeGroup | undefined;
}

export function dataAlignmentKiB(spec: Pick<DeviceSpec, "raid">): number {
  if (!spec.raid) return 256;
  const { stripeUnitKiB: su, dataDisks: n } = spec.raid;
  if (!Number.isInteger(su) || su < 4 || su > 65536 || !Number.isInteger(n) || n < 1 || n > 64)
    throw new ValidationError(
      "raid",
      spec.raid,
      "stripeUnitKiB 4..65536 and dataDisks 1..64 (whole numbers)",
    );
  return su * n;
}

/**
 * Bash that inspects the disk $real and its own partitions and prints "@@issue KIND DETAIL"
 * lines (read-only), and wipes them when asked. "Its own partitions" is what the kernel lists as
 * partitions of the disk: lsblk also lists every device built on top of the disk (md arrays, dm
 * devices) and those may span other disks, so they are only ever reported as holders, never
 * touched. The three paths at the top are the only places read outside lsblk, blkid and LVM.
 */
/**
 * vg_exists: whether the volume group $vg exists, from LVM's list of volume groups; the step
 * fails when LVM cannot give that list ("cannot tell" is never "no such group": prepare would go
 * on to inspect and wipe a disk that holds our group, remove would report success and leave it).
 */
const VG_EXISTS = String.raw`vg_exists() {
  local names
  names=$(vgs --noheadings -o vg_name) || fail "cannot list the volume groups on $(hostname) (LVM's message above)"
  printf '%s
' "$names" | tr -d ' ' | grep -qxF "$vg"
}`;

const PREFLIGHT = String.raw`sys_block=/sys/class/block; proc_swaps=/proc/swaps; proc_mdstat=/proc/mdstat
# disk_tree: NAME TYPE PARENT MOUNTPOINT of the disk and everything lsblk lists below it (raw
# output: one space between columns, empty columns empty, blanks inside a value escaped).
disk_tree() { lsblk -r -n -p -o NAME,TYPE,PKNAME,MOUNTPOINT "$real"; }
disk_parts() { disk_tree | awk -F'[ ]' -v d="$real" '$2 == "part" && $3 == d { print $1 }'; }
# holder_names DEV: what the kernel says holds DEV (md arrays, dm devices), by their dm names when
# they have one. Fails when the kernel has no holders list for DEV (not known is not "none").
holder_names() {
  local h d="$sys_block/$(basename "$1")/holders"
  [ -d "$d" ] || { echo "no holders list at $d for $1" >&2; return 1; }
  for h in $(ls "$d"); do
    cat "$sys_block/$h/dm/name" 2>/dev/null || echo "$h"
  done | paste -sd' ' -
}
# preflight: prints "@@issue" lines; returns 1 (the tool's message on stderr) when a question that
# decides "empty" or "in use" got no answer. Callers run it in $(...), where set -e does not
# reach, so every answer is checked here.
preflight() {
  local m tree parts sigs mnts holders pvvg
  tree=$(disk_tree) || { echo "lsblk could not list $real" >&2; return 1; }
  parts=$(printf '%s\n' "$tree" | awk -F'[ ]' -v d="$real" '$2 == "part" && $3 == d { print $1 }')
  [ -z "$parts" ] || echo "@@issue partitions $(printf '%s\n' "$parts" | paste -sd, -)"
  sigs=$(wipefs --no-act --noheadings -O TYPE,OFFSET "$real") || { echo "wipefs could not read the signatures of $real" >&2; return 1; }
  sigs=$(printf '%s\n' "$sigs" | awk 'NF {print $1"@"$2}' | paste -sd, -)
  [ -z "$sigs" ] || echo "@@issue signatures $sigs"
  mnts=$(printf '%s\n' "$tree" | awk -F'[ ]' -v d="$real" '($1 == d || ($2 == "part" && $3 == d)) && $4 != "" && $4 != "[SWAP]" { print $4 }' | paste -sd, -)
  [ -z "$mnts" ] || echo "@@issue mounted $mnts"
  for m in "$real" $parts; do
    holders=$(holder_names "$m") || return 1
    [ -z "$holders" ] || echo "@@issue holders $(basename "$m") is held by $holders"
    if awk 'NR>1 {print $1}' "$proc_swaps" | xargs -r readlink -f | grep -qxF "$m"; then echo "@@issue swap $(basename "$m") is in use as swap"; fi
    if grep -Eq "(^|[[:space:]])$(basename "$m")\[[0-9]+\]" "$proc_mdstat" 2>/dev/null; then echo "@@issue md $(basename "$m") is a member of an md array ($proc_mdstat)"; fi
    # The disk itself as a PV is the callers' business (it may be our own, cut after pvcreate).
    if [ "$m" != "$real" ] && pvvg=$(pvs --noheadings -o vg_name "$m" 2>/dev/null | tr -d ' ') && [ -n "$pvvg" ]; then
      echo "@@issue pv $(basename "$m") is a physical volume of volume group $pvvg"
    fi
  done
}
# wipe_disk: the signatures of the disk's own partitions, then the disk's (its partition table).
wipe_disk() {
  local p parts
  parts=$(disk_parts | tac)
  for p in $parts "$real"; do wipefs -q -a "$p"; done
  blockdev --rereadpt "$real" 2>/dev/null || partx -d "$real" 2>/dev/null || true
  udevadm settle 2>/dev/null || true
}`;

/** Read-only: what stands in the way of using the device. */
export function buildInspectDevice(spec: Pick<DeviceSpec, "device">) {
  const dev = assertDevicePath(spec.device);
  return new ScriptBuilder("device.inspect", { readOnly: true, timeoutMs: 60_000 })
    .add(PREFLIGHT)
    .add(
      sh`dev=${dev}
[ -b "$dev" ] || { echo "@@issue missing no block device $dev"; finish; }
real=$(readlink -f "$dev")
pvvg=$(pvs --noheadings -o vg_name "$real" 2>/dev/null | tr -d ' ') && echo "@@issue pv LVM physical volume (volume group: \${pvvg:-none})" || true
preflight`,
      6,
    )
    .build();
}

export function parseIssues(stdout: string): DeviceIssue[] {
  return stdout
    .split("\n")
    .map((l) => /^@@issue (\S+) ?(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ kind: m[1] as DeviceIssue["kind"], detail: m[2] ?? "" }));
}

export async function inspectDevice(
  exec: RemoteExecutor,
  spec: Pick<DeviceSpec, "device">,
): Promise<DeviceIssue[]> {
  const r = await runStep(exec, buildInspectDevice(spec));
  return parseIssues(r.result.stdout);
}

/** Preflight, pvcreate and vgcreate in one script; converges from any point it was cut at. */
export function buildPrepareDevice(spec: DeviceSpec) {
  const cluster = assertClusterId(spec.cluster);
  const dev = assertDevicePath(spec.device);
  const vg = vgName(cluster, dev);
  const [tagCluster, tagDevice] = deviceTags(cluster, dev);
  return new ScriptBuilder("device.prepare", { timeoutMs: 300_000 })
    .add(VG_EXISTS)
    .add(PREFLIGHT)
    .add(
      sh`dev=${dev}; vg=${vg}; tag_cluster=${tagCluster as string}; tag_device=${tagDevice as string}; wipe=${spec.wipe ? 1 : 0}
[ -b "$dev" ] || fail "$dev is not a block device on $(hostname)"
real=$(readlink -f "$dev")
if vg_exists; then
  for pv in $(pvs --noheadings -o pv_name -S vg_name="$vg" | tr -d ' '); do
    [ "$(readlink -f "$pv")" = "$real" ] || refuse_because foreign-vg "volume group $vg exists on $pv, not on $dev"
  done
  tags=$(vgs --noheadings -o vg_tags "$vg" | tr -d ' ')
  case ",$tags," in *",$tag_cluster,"*) ;; *) refuse_because foreign-vg "volume group $vg exists but is not tagged $tag_cluster (tags: $tags)" ;; esac
else
  if pvvg=$(pvs --noheadings -o vg_name "$real" 2>/dev/null | tr -d ' '); then
    # An LVM PV. In another VG: refuse. Without a VG (our own cut after pvcreate): it holds no data; reuse it.
    [ -z "$pvvg" ] || refuse_because in-use "$dev is a physical volume of volume group $pvvg; remove it there first (vgreduce/vgremove)"
  else
    issues=$(preflight) || fail_because unknown-disk "cannot tell whether $dev is empty or in use on $(hostname) (the error above); nothing was changed"
    if printf '%s\n' "$issues" | grep -Eq '^@@issue (mounted|holders|swap|md|pv) '; then
      printf '%s\n' "$issues"
      refuse_because in-use "$dev is in use: $(printf '%s' "$issues" | grep -E '^@@issue (mounted|holders|swap|md|pv) ' | sed 's/^@@issue //' | paste -sd';' -)"
    fi
    if [ -n "$issues" ]; then
      printf '%s\n' "$issues"
      [ "$wipe" = 1 ] || refuse_because not-empty "$dev is not empty: $(printf '%s' "$issues" | sed 's/^@@issue //' | paste -sd';' -); set wipe to destroy its contents"
      wipe_disk
      change "wipefs $dev"
    fi
    pvcreate -qq -y --metadatasize=128M --dataalignment=${dataAlignmentKiB(spec)}K "$dev"
    change "pvcreate $dev"
  fi
  vgcreate -qq -y --physicalextentsize=4M --addtag "$tag_cluster" --addtag "$tag_device" "$vg" "$dev"
  change "vgcreate $vg"
fi
section vg vgs --reportformat json --units b --nosuffix -o ${VGS_FIELDS} "$vg"`,
      6,
    )
    .build();
}

function vgFrom(stdout: string): VolumeGroup | undefined {
  const m = /@@begin vg\n([\s\S]*?)\n@@end vg 0/.exec(stdout);
  return m ? parseVgs(m[1] as string)[0] : undefined;
}

export async function prepareDevice(exec: RemoteExecutor, spec: DeviceSpec): Promise<DeviceState> {
  const r = await runStep(exec, buildPrepareDevice(spec), {
    "not-empty": "set wipe only if the disk's contents may be destroyed",
    "in-use":
      "the disk or one of its partitions is in use (named above): free it (unmount, swapoff, stop the md or dm device, vgreduce) or declare another device; wipe never overrides this",
    "unknown-disk":
      "a disk query failed (named above): fix what made it fail and retry; the provider only wipes or uses a disk it has seen to be free",
    "foreign-vg":
      "a volume group with the provider's name for this device exists and is not this device's or this cluster's: rename or remove it, or declare another device",
  });
  return { vg: vgName(spec.cluster, spec.device), changes: r.changes, volumeGroup: vgFrom(r.result.stdout) };
}

/** After the disk grew: pvresize when the device has at least one more extent than the PV. */
export function buildGrowDevice(spec: Pick<DeviceSpec, "cluster" | "device">) {
  const vg = vgName(spec.cluster, spec.device);
  const dev = assertDevicePath(spec.device);
  return new ScriptBuilder("device.grow", { timeoutMs: 120_000 })
    .add(
      sh`dev=${dev}; vg=${vg}
vgs "$vg" >/dev/null 2>&1 || fail "volume group $vg not found on $(hostname)"
real=$(readlink -f "$dev")
read -r pv_size dev_size pe_start < <(pvs --noheadings --units b --nosuffix -o pv_size,dev_size,pe_start "$real")
extent=$(vgs --noheadings --units b --nosuffix -o vg_extent_size "$vg" | tr -d ' ')
if [ $(( dev_size - pe_start - pv_size )) -ge "$extent" ]; then
  pvresize -qq "$real"
  change "pvresize $dev"
fi
section vg vgs --reportformat json --units b --nosuffix -o ${VGS_FIELDS} "$vg"`,
      4,
    )
    .build();
}

export async function growDevice(
  exec: RemoteExecutor,
  spec: Pick<DeviceSpec, "cluster" | "device">,
): Promise<DeviceState> {
  const r = await runStep(exec, buildGrowDevice(spec));
  return { vg: vgName(spec.cluster, spec.device), changes: r.changes, volumeGroup: vgFrom(r.result.stdout) };
}

/** vgremove + pvremove, only when the VG is ours and holds no LVs (no bricks). */
export function buildRemoveDevice(spec: Pick<DeviceSpec, "cluster" | "device">) {
  const vg = vgName(spec.cluster, spec.device);
  const dev = assertDevicePath(spec.device);
  return new ScriptBuilder("device.remove", { timeoutMs: 120_000 })
    .add(VG_EXISTS)
    .add(
      sh`dev=${dev}; vg=${vg}; tag_cluster=${tag(TAG.cluster, spec.cluster)}
if vg_exists; then
  tags=$(vgs --noheadings -o vg_tags "$vg" | tr -d ' ')
  case ",$tags," in *",$tag_cluster,"*) ;; *) refuse "volume group $vg is not tagged $tag_cluster; not removing it" ;; esac
  lvs=$(lvs --noheadings -o lv_name "$vg" | awk 'NF' | paste -sd, -)
  [ -z "$lvs" ] || refuse "volume group $vg still holds logical volumes ($lvs): delete the bricks first"
  vgremove -qq -y "$vg"
  change "vgremove $vg"
fi
if [ -b "$dev" ] && pvvg=$(pvs --noheadings -o vg_name "$dev" 2>/dev/null | tr -d ' '); then
  [ -z "$pvvg" ] || refuse "$dev now belongs to volume group $pvvg; not removing it"
  pvremove -qq -y "$dev"
  change "pvremove $dev"
fi`,
      4,
    )
    .build();
}

export async function removeDevice(
  exec: RemoteExecutor,
  spec: Pick<DeviceSpec, "cluster" | "device">,
): Promise<{ changes: string[] }> {
  const r = await runStep(exec, buildRemoveDevice(spec));
  return { changes: r.changes };
}
