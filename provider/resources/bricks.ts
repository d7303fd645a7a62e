// Bricks: a thin pool and a thin LV per brick, XFS, a persistent mount and the brick directory.
// One script per node makes, grows or removes all of that node's bricks; each step checks
// first, so a re-run after a crash finishes the job or finds it done.
import type { Brick, VolumeInputs } from "../core/model";
import { brickLvName, brickMountPath, brickTags, thinPoolName, vgName } from "../core/names";
import { shq } from "../core/shell";
import { onEach, runStep, type Target } from "./remote";

const MOUNT_OPTIONS = "rw,inode64,noatime,nouuid";

interface BrickNames {
  vg: string;
  pool: string;
  lv: string;
  mount: string;
  dev: string;
}

function namesOf(v: VolumeInputs, b: Brick): BrickNames {
  const vg = vgName(v.cluster.clusterId, b.device);
  const lv = brickLvName(v.name, b.set, b.index);
  return {
    vg,
    pool: thinPoolName(v.name, b.set, b.index),
    lv,
    mount: brickMountPath(v.cluster.brickRoot, v.name, b.set, b.index),
    dev: `/dev/${vg}/${lv}`,
  };
}

function targetOf(v: VolumeInputs, node: string): Target {
  const t = v.topology.find((n) => n.manageAddress === node);
  if (!t) throw new Error(`volume ${v.name}: brick node ${node} is not in the cluster's topology any more`);
  return t;
}

/** Bricks grouped by node, in a stable order. */
function byNode(bricks: Brick[]): [string, Brick[]][] {
  const groups = new Map<string, Brick[]>();
  for (const b of bricks) groups.set(b.node, [...(groups.get(b.node) ?? []), b]);
  return [...groups.entries()];
}

function createScript(v: VolumeInputs, b: Brick): string {
  const n = namesOf(v, b);
  const tags = brickTags(v.name, b.set, b.index, b.role)
    .map((t) => `--addtag ${shq(t)}`)
    .join(" ");
  // Arbiter bricks hold only metadata: many inodes in a small filesystem.
  const inodeOpts = b.role === "arbiter" ? "size=512,maxpct=75" : "size=512";
  const dir = `${n.mount}/brick`;
  return `
vg=${shq(n.vg)}; pool=${shq(n.pool)}; lv=${shq(n.lv)}; mnt=${shq(n.mount)}; dev=${shq(n.dev)}
lvs "$vg/$pool" >/dev/null 2>&1 || lvcreate -qq --yes --type thin-pool -L ${b.poolSize}b --poolmetadatasize ${b.metadataSize}b --chunksize 256K --zero n ${tags} -n "$pool" "$vg"
lvs "$vg/$lv" >/dev/null 2>&1 || lvcreate -qq --yes --type thin -V ${b.size}b --thinpool "$vg/$pool" ${tags} -n "$lv"
[ "$(blkid -o value -s TYPE "$dev" 2>/dev/null || true)" = xfs ] || mkfs.xfs -q -f -i ${inodeOpts} -n size=8192 "$dev"
mkdir -p "$mnt"
awk -v m="$mnt" '$2==m {f=1} END {exit !f}' /etc/fstab || echo "$dev $mnt xfs ${MOUNT_OPTIONS} 0 2" >> /etc/fstab
mountpoint -q "$mnt" || mount "$mnt"
mkdir -p ${shq(dir)}
${v.gid !== undefined ? `chown :${v.gid} ${shq(dir)}; chmod 2775 ${shq(dir)}` : ""}`;
}

function destroyScript(v: VolumeInputs, b: Brick): string {
  const n = namesOf(v, b);
  return `
vg=${shq(n.vg)}; pool=${shq(n.pool)}; lv=${shq(n.lv)}; mnt=${shq(n.mount)}
if mountpoint -q "$mnt"; then
  umount "$mnt" || { echo "brick $mnt on $(hostname) is busy:" >&2; fuser -vm "$mnt" >&2 || true; exit 7; }
fi
awk -v m="$mnt" '$2!=m' /etc/fstab > /etc/fstab.glusterfs-tmp && cat /etc/fstab.glusterfs-tmp > /etc/fstab && rm -f /etc/fstab.glusterfs-tmp
[ -d "$mnt" ] && rmdir "$mnt" 2>/dev/null || true
lvs "$vg/$lv" >/dev/null 2>&1 && lvremove -qq -f "$vg/$lv"
lvs "$vg/$pool" >/dev/null 2>&1 && lvremove -qq -f "$vg/$pool"
true`;
}

function growScript(v: VolumeInputs, b: Brick): string {
  const n = namesOf(v, b);
  return `
vg=${shq(n.vg)}; pool=${shq(n.pool)}; lv=${shq(n.lv)}; mnt=${shq(n.mount)}
cur=$(lvs --noheadings --units b --nosuffix -o lv_size "$vg/$pool" | tr -d ' ')
[ "$cur" -ge ${b.poolSize} ] || lvextend -qq -L ${b.poolSize}b "$vg/$pool"
cur=$(lvs --noheadings --units b --nosuffix -o lv_size "$vg/$lv" | tr -d ' ')
[ "$cur" -ge ${b.size} ] || lvextend -qq -L ${b.size}b "$vg/$lv"
xfs_growfs "$mnt" >/dev/null`;
}

export async function createBricks(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await onEach(byNode(bricks), ([node, list]) =>
    runStep(targetOf(v, node), {
      step: "brick.create",
      text: `modprobe dm_thin_pool 2>/dev/null || true\n${list.map((b) => createScript(v, b)).join("\n")}`,
      hint: "run `pulumi up` again: bricks already made are kept and the rest are made",
    }),
  );
}

export async function growBricks(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await onEach(byNode(bricks), ([node, list]) =>
    runStep(targetOf(v, node), { step: "brick.grow", text: list.map((b) => growScript(v, b)).join("\n") }),
  );
}

export async function destroyBricks(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  await onEach(byNode(bricks), ([node, list]) =>
    runStep(targetOf(v, node), {
      step: "brick.destroy",
      text: `${list.map((b) => destroyScript(v, b)).join("\n")}\nrmdir ${shq(`${v.cluster.brickRoot}/${v.name}`)} 2>/dev/null || true`,
      hint: "stop whatever keeps the brick busy (shown above), then run the command again",
    }),
  );
}

/**
 * Removes every brick of the volume that the nodes carry but state does not (made by an
 * expansion that failed before it was recorded): found by our LVM tags and the mount root.
 * Nodes that cannot be reached are skipped; their bricks were checked reachable before.
 */
export async function destroyUnrecorded(v: VolumeInputs): Promise<void> {
  const root = `${v.cluster.brickRoot}/${v.name}`;
  const volumeTag = brickTags(v.name, 0, 0, "data")[0]!;
  const vgPrefix = `gfs_${v.cluster.clusterId}_`;
  const text = `
root=${shq(root)}
for mnt in $(awk -v r="$root/" 'index($2, r)==1 {print $2}' /proc/mounts); do
  umount "$mnt" || { echo "brick $mnt on $(hostname) is busy:" >&2; fuser -vm "$mnt" >&2 || true; exit 7; }
done
awk -v r="$root/" 'index($2, r)!=1' /etc/fstab > /etc/fstab.glusterfs-tmp && cat /etc/fstab.glusterfs-tmp > /etc/fstab && rm -f /etc/fstab.glusterfs-tmp
for kind in thin thin-pool; do
  lvs --noheadings --separator '|' -o vg_name,lv_name,lv_tags,segtype 2>/dev/null | tr -d ' ' |
    awk -F'|' -v p=${shq(vgPrefix)} -v t=${shq(volumeTag)} -v k="$kind" 'index($1,p)==1 && $4==k && index(","$3",", ","t",") {print $1"/"$2}' |
    while read -r lv; do lvremove -qq -f "$lv"; done
done
rmdir "$root"/* "$root" 2>/dev/null || true`;
  await Promise.allSettled(v.topology.map((node) => runStep(node, { step: "brick.sweep", text })));
}

export function brickTargets(v: VolumeInputs, bricks: Brick[]): Target[] {
  return byNode(bricks).map(([node]) => targetOf(v, node));
}
