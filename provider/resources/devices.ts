// Devices: one tagged volume group per device, capacity reads, and removal refused while the
// device holds bricks. The scripts are provider/node's (device.ts, inventory.ts).
import { RemoteError } from "../core/errors";
import type { DeviceInputs, VolumeInputs } from "../core/model";
import { vgName } from "../core/names";
import { usableDeviceSize } from "../core/sizing";
import type { Inventory } from "../core/topology";
import * as node from "../node";
import type { Deps, ProcessMemory } from "./deps";

export interface VgFacts {
  vgName: string;
  sizeBytes: number;
  freeBytes: number;
}

function factsOf(vg: node.VolumeGroup | undefined): VgFacts | undefined {
  return vg ? { vgName: vg.name, sizeBytes: vg.sizeBytes, freeBytes: vg.freeBytes } : undefined;
}

function targetOf(deps: Deps, d: DeviceInputs) {
  return deps.executorFor({ manageAddress: d.node, connection: d.connection });
}

export async function prepareDevice(deps: Deps, d: DeviceInputs): Promise<VgFacts> {
  const state = await node.prepareDevice(targetOf(deps, d), {
    cluster: d.clusterId,
    device: d.path,
    wipe: d.wipe,
  });
  const facts = factsOf(state.volumeGroup);
  if (!facts) throw new Error(`device.prepare on ${d.node}: could not read volume group ${state.vg}`);
  return facts;
}

export async function readDevice(deps: Deps, d: DeviceInputs): Promise<VgFacts | undefined> {
  const vg = vgName(d.clusterId, d.path);
  const inventory = await deps.inventory({ manageAddress: d.node, connection: d.connection });
  return factsOf(inventory.vgs.find((g) => g.name === vg));
}

export async function removeDevice(deps: Deps, d: DeviceInputs): Promise<void> {
  try {
    await node.removeDevice(targetOf(deps, d), { cluster: d.clusterId, device: d.path });
  } catch (err) {
    const lvs =
      err instanceof RemoteError ? /still holds logical volumes \(([^)]*)\)/.exec(err.message) : null;
    if (!lvs) throw err;
    throw new RemoteError({
      node: d.node,
      step: "device.remove",
      exitCode: (err as RemoteError).exitCode,
      stderr: (err as RemoteError).stderr,
      message: `refused: device ${d.path} still holds bricks (${lvs[1]}): delete the volumes using it first`,
      hint: "delete or shrink-away the volumes with bricks on this device, then remove it",
    });
  }
}

/** Live free space of every declared device, as the planner's inventory (one round trip per node). */
export async function plannerInventory(deps: Deps, v: VolumeInputs): Promise<Inventory> {
  const read = await Promise.all(
    v.topology.map(
      async (n) =>
        [n.manageAddress, await deps.inventory(n, { devices: n.devices.map((d) => d.path) })] as const,
    ),
  );
  return plannerInventoryOf(deps.memory, v, new Map(read));
}

/**
 * The planner's inventory from node inventories already read: free space less what other volumes
 * of this process have planned, plus `credit` (bytes per "node|device" this volume's own cut
 * operation took, which the plan may use again).
 */
export function plannerInventoryOf(
  memory: ProcessMemory,
  v: VolumeInputs,
  inventories: ReadonlyMap<string, node.NodeInventory>,
  credit: ReadonlyMap<string, number> = new Map(),
  reservationKey: string = v.name,
): Inventory {
  const nodes = v.topology.map((n) => {
    const inv = inventories.get(n.manageAddress);
    if (!inv) throw new Error(`volume ${v.name}: node ${n.manageAddress} was not read`);
    return {
      manage: n.manageAddress,
      storage: n.storageAddress,
      zone: n.zone,
      tags: n.tags,
      devices: n.devices.map((d) => {
        const name = vgName(v.cluster.clusterId, d.path);
        const vg = inv.vgs.find((g) => g.name === name);
        const pv = inv.pvs.find((p) => p.vg === name);
        const size = inv.deviceSizes[d.path] || pv?.deviceBytes || 0;
        const spare = inv.lvs.find(
          (l) => l.vg === name && l.name.replace(/^\[|\]$/g, "") === "lvol0_pmspare",
        );
        const key = `${n.manageAddress}|${d.path}`;
        const free = (vg ? vg.freeBytes : usableDeviceSize(size)) + (credit.get(key) ?? 0);
        return {
          name: d.path,
          size,
          free: Math.max(0, free - memory.reservedByOthers(reservationKey, key)),
          tags: d.tags,
          spare: spare?.sizeBytes ?? 0,
        };
      }),
    };
  });
  return { clusters: [{ id: v.cluster.clusterId, nodes }] };
}
