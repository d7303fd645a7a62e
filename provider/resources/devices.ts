// Devices: preflight, one tagged volume group per device, capacity reads, and removal that
// leaves no label behind. Every script is idempotent: a re-run after a failure converges.
import type { DeviceInputs, VolumeInputs } from "../core/model";
import { deviceTags, vgName } from "../core/names";
import { shq } from "../core/shell";
import { usableDeviceSize } from "../core/sizing";
import type { Inventory } from "../core/topology";
import { reservedByOthers } from "./context";
import { onEach, runStep } from "./remote";

export interface VgFacts {
  vgName: string;
  sizeBytes: number;
  freeBytes: number;
}

const VG_FACTS = (vg: string) =>
  `vgs --noheadings --units b --nosuffix -o vg_size,vg_free ${shq(vg)} | awk '{print $1, $2}'`;

function parseFacts(vg: string, stdout: string): VgFacts | undefined {
  const line = stdout.trim().split("\n").pop() ?? "";
  const [size, free] = line.trim().split(/\s+/).map(Number);
  if (!line || size === undefined || free === undefined || Number.isNaN(size)) return undefined;
  return { vgName: vg, sizeBytes: size, freeBytes: free };
}

export async function prepareDevice(d: DeviceInputs): Promise<VgFacts> {
  const vg = vgName(d.clusterId, d.path);
  const dev = shq(d.path);
  const tags = deviceTags(d.clusterId, d.path)
    .map((t) => `--addtag ${shq(t)}`)
    .join(" ");
  const text = `
dev=${dev}; vg=${shq(vg)}
[ -b "$dev" ] || { echo "$dev is not a block device on $(hostname)" >&2; exit 4; }
if vgs "$vg" >/dev/null 2>&1; then
  ${VG_FACTS(vg)}; exit 0
fi
if ! pvs "$dev" >/dev/null 2>&1; then
  found=""
  sig=$(wipefs --noheadings --output TYPE "$dev" 2>/dev/null | tr '\\n' ' ')
  [ -n "$sig" ] && found="$found signatures: $sig;"
  parts=$(lsblk -nro NAME,TYPE "$dev" | awk '$2=="part"{print $1}' | tr '\\n' ' ')
  [ -n "$parts" ] && found="$found partitions: $parts;"
  mnt=$(lsblk -nro MOUNTPOINT "$dev" | grep -v '^$' | tr '\\n' ' ' || true)
  [ -n "$mnt" ] && found="$found mounted at: $mnt;"
  holders=$(ls /sys/class/block/$(basename "$(readlink -f "$dev")")/holders 2>/dev/null | tr '\\n' ' ')
  [ -n "$holders" ] && found="$found held by: $holders;"
  if [ -n "$found" ]; then
    if [ ${d.wipe ? 1 : 0} = 1 ] && [ -z "$mnt" ] && [ -z "$holders" ]; then
      wipefs -a "$dev" >/dev/null
    else
      echo "$dev on $(hostname) is not empty ($found) and wipe is not set" >&2; exit 5
    fi
  fi
  pvcreate -qq --metadatasize 128M --dataalignment 256K "$dev"
fi
vgcreate -qq -s 4M ${tags} "$vg" "$dev"
${VG_FACTS(vg)}`;
  const r = await runStep(
    { manageAddress: d.node, connection: d.connection },
    {
      step: "device.prepare",
      text,
      hint: d.wipe
        ? "the device is mounted or in use; free it on the node first"
        : "if the data on it can go, set wipe: true on the Device; otherwise pick an empty device",
    },
  );
  const facts = parseFacts(vg, r.stdout);
  if (!facts) throw new Error(`device.prepare on ${d.node}: could not read volume group ${vg}`);
  return facts;
}

export async function readDevice(d: DeviceInputs): Promise<VgFacts | undefined> {
  const vg = vgName(d.clusterId, d.path);
  const r = await runStep(
    { manageAddress: d.node, connection: d.connection },
    {
      step: "device.read",
      readOnly: true,
      text: `if vgs ${shq(vg)} >/dev/null 2>&1; then ${VG_FACTS(vg)}; fi`,
    },
  );
  return parseFacts(vg, r.stdout);
}

export async function removeDevice(d: DeviceInputs): Promise<void> {
  const vg = vgName(d.clusterId, d.path);
  await runStep(
    { manageAddress: d.node, connection: d.connection },
    {
      step: "device.remove",
      text: `
dev=${shq(d.path)}; vg=${shq(vg)}
if vgs "$vg" >/dev/null 2>&1; then
  lvs_left=$(lvs --noheadings -o lv_name "$vg" | tr -d ' ' | grep -v '^$' | tr '\\n' ' ' || true)
  if [ -n "$lvs_left" ]; then
    echo "device $dev on $(hostname) still holds bricks ($lvs_left): delete the volumes using it first" >&2; exit 6
  fi
  vgremove -qq -f "$vg"
fi
if pvs "$dev" >/dev/null 2>&1; then pvremove -qq -y "$dev"; fi
wipefs -qa "$dev" >/dev/null 2>&1 || true`,
      hint: "delete or shrink-away the volumes with bricks on this device, then remove it",
    },
  );
}

/** Live free space of every declared device, as the planner's inventory (one round trip per node). */
export async function plannerInventory(v: VolumeInputs): Promise<Inventory> {
  const nodes = await Promise.all(
    v.topology.map(async (n) => {
      const lines = n.devices
        .map((d) => {
          const vg = vgName(v.cluster.clusterId, d.path);
          return `dev=${shq(d.path)}; vg=${shq(vg)}
size=$(blockdev --getsize64 "$dev" 2>/dev/null || echo 0)
if vgs "$vg" >/dev/null 2>&1; then read -r vsize vfree < <(vgs --noheadings --units b --nosuffix -o vg_size,vg_free "$vg"); else vsize=-; vfree=-; fi
spare=$(lvs --noheadings --units b --nosuffix -o lv_size "$vg/lvol0_pmspare" 2>/dev/null | tr -d ' ' || true)
echo "$dev $size $vsize $vfree \${spare:-0}"`;
        })
        .join("\n");
      const r = await runStep(n, { step: "inventory", readOnly: true, text: lines || "true" });
      const facts = new Map(
        r.stdout
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => {
            const [dev, size, vsize, vfree, spare] = l.split(" ");
            return [dev!, { size: Number(size), vsize, vfree, spare: Number(spare) || 0 }] as const;
          }),
      );
      return {
        manage: n.manageAddress,
        storage: n.storageAddress,
        zone: n.zone,
        tags: n.tags,
        devices: n.devices.map((d) => {
          const f = facts.get(d.path) ?? { size: 0, vsize: "-", vfree: "-", spare: 0 };
          const free = f.vfree === "-" ? usableDeviceSize(f.size) : Number(f.vfree);
          return {
            name: d.path,
            size: f.size,
            free: Math.max(0, free - reservedByOthers(v.name, `${n.manageAddress}|${d.path}`)),
            tags: d.tags,
            spare: f.spare,
          };
        }),
      };
    }),
  );
  return { clusters: [{ id: v.cluster.clusterId, nodes }] };
}

export { onEach };
