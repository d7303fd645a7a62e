// Failure reports: one line a person can act on (what was needed, what each zone had), and the
// same numbers as data for scripts.
import { formatSize } from "../units";
import type { ClusterState } from "./state";
import type { ClusterFailure, ZoneReport } from "./types";

const MAX_ZONES_IN_LINE = 8;

/** Free space by zone and node, over the devices that may take a brick of this volume. */
export function zoneReports(state: ClusterState, free: Float64Array = state.free): ZoneReport[] {
  const zones = new Map<number, ZoneReport>();
  for (const z of state.zones) zones.set(z, { zone: z, free: 0, largestDeviceFree: 0, nodes: [] });
  state.nodes.forEach((n) => {
    let sum = 0;
    let largest = 0;
    for (const d of n.devices) {
      if (!state.devices[d]!.eligible) continue;
      sum += free[d]!;
      largest = Math.max(largest, free[d]!);
    }
    const zone = zones.get(n.zone)!;
    zone.nodes.push({ node: n.manage, free: sum, largestDeviceFree: largest });
    zone.free += sum;
    zone.largestDeviceFree = Math.max(zone.largestDeviceFree, largest);
  });
  return [...zones.values()];
}

/** "zone 1: 2TiB free (largest device 1TiB, 2 nodes), ..." */
export function describeZones(zones: ZoneReport[]): string {
  const shown = zones.slice(0, MAX_ZONES_IN_LINE).map((z) => {
    const nodes = z.nodes.filter((n) => n.free > 0).length;
    return `zone ${z.zone}: ${formatSize(z.free)} free (largest device ${formatSize(z.largestDeviceFree)}, ${nodes} of ${z.nodes.length} nodes with room)`;
  });
  const more = zones.length - shown.length;
  return shown.join(", ") + (more > 0 ? `, and ${more} more zones` : "");
}

export function clusterLine(failure: ClusterFailure): string {
  return `cluster "${failure.cluster}": ${failure.reason}`;
}
