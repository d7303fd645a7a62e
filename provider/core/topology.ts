// Heketi's topology.json, unchanged, plus an optional `size` and `free` per device object, and
// its conversion into the planner's Inventory. Validation errors name the JSON path.
import { z } from "zod";
import { ValidationError } from "./errors";
import { checkHeketiTopologyShape } from "./heketi-topology-schema";
import { ruled, tagMap } from "./model";
import {
  devicePathRule,
  duplicateNodes,
  hostRule,
  LIMITS,
  type Refusal,
  RefusedValue,
  storageHostRule,
  vgClash,
} from "./names";
import { parseSize, SIZE_ALLOWED } from "./units";
import { roundDownExtent, usableDeviceSize } from "./sizing";

// Tags follow the resources' rule (model.ts tagMap, names.ts tagKeyRule/tagValueRule): a topology
// that loads here gives Nodes and Devices that the model accepts.
const tags = tagMap;

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseSize(value, "size");
  } catch {
    ctx.addIssue({ code: "custom", message: SIZE_ALLOWED });
    return z.NEVER;
  }
});

// Hosts and device paths follow the same rules as the resources' inputs (provider/core/names.ts).
const deviceName = ruled(devicePathRule);

// Heketi allows a bare device path where an object is expected; read it as { name }.
const device = z.preprocess(
  (value) => (typeof value === "string" ? { name: value } : value),
  z.object({
    name: deviceName,
    destroydata: z.boolean().optional(),
    tags: tags.optional(),
    size: size.optional(),
    free: size.optional(),
  }),
);

const hostnames = (host: z.ZodType<string>) => z.array(host).min(1, "a list of at least one host name");

const node = z.object({
  node: z.object({
    hostnames: z.object({ manage: hostnames(ruled(hostRule)), storage: hostnames(ruled(storageHostRule)) }),
    zone: z
      .number()
      .int("an integer zone >= 1")
      .min(1, "an integer zone >= 1 (Heketi rejects 0)")
      .max(LIMITS.zoneMax, `an integer zone up to ${LIMITS.zoneMax}`)
      .optional(),
    tags: tags.optional(),
  }),
  devices: z.array(device).default([]),
});

const cluster = z.object({
  id: z.string().min(1, "a non-empty cluster id").optional(),
  file: z.boolean().optional(),
  block: z.boolean().optional(),
  nodes: z.array(node).default([]),
});

const topologySchema = z.object({ clusters: z.array(cluster).min(1, "a list of at least one cluster") });

export interface TopologyDevice {
  name: string;
  destroydata: boolean;
  tags: Record<string, string>;
  /** Raw device size in bytes, when the topology says. */
  size?: number;
  /** Live free bytes in the device's volume group, when the topology says. */
  free?: number;
}

export interface TopologyNode {
  manage: string[];
  storage: string[];
  zone: number;
  tags: Record<string, string>;
  devices: TopologyDevice[];
}

export interface TopologyCluster {
  id: string;
  file: boolean;
  block: boolean;
  nodes: TopologyNode[];
}

export interface Topology {
  clusters: TopologyCluster[];
}

/** What the planner sees: clusters of nodes of devices with their live free space. */
export interface InventoryDevice {
  name: string;
  /** Raw device size in bytes (informational). */
  size: number;
  /** Bytes free in the volume group, excluding every existing brick. */
  free: number;
  /** Node tags overlaid by device tags are computed by the planner; these are the device's own. */
  tags: Record<string, string>;
  /** Size of the pool-metadata spare LV the volume group already has (0 or absent: none known). */
  spare?: number;
}

export interface InventoryNode {
  manage: string;
  storage: string;
  zone: number;
  tags: Record<string, string>;
  devices: InventoryDevice[];
}

export interface InventoryCluster {
  id: string;
  /** Whether the cluster takes file volumes (Heketi's `file` flag); absent means yes. */
  file?: boolean;
  nodes: InventoryNode[];
}

export interface Inventory {
  clusters: InventoryCluster[];
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  let out = "topology";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return out;
}

function valueAt(json: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let at: unknown = json;
  for (const part of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<PropertyKey, unknown>)[part];
  }
  return at;
}

/** Validates a Heketi topology.json document (already JSON-parsed). */
export function parseHeketiTopology(json: unknown): Topology {
  checkHeketiTopologyShape(json);
  const parsed = topologySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const value = valueAt(json, issue.path);
    if (issue.code === "custom" && issue.params?.refusal)
      throw new RefusedValue(pathOf(issue.path), value, issue.params.refusal as Refusal);
    // A tag name that failed its rule: the refused value is the key itself.
    const inner = issue.code === "invalid_key" ? issue.issues[0] : undefined;
    if (inner?.code === "custom" && inner.params?.refusal)
      throw new RefusedValue(
        pathOf(issue.path),
        issue.path[issue.path.length - 1],
        inner.params.refusal as Refusal,
      );
    const allowed = issue.code === "invalid_type" ? `${issue.expected}` : issue.message;
    throw new ValidationError(pathOf(issue.path), value, allowed);
  }
  // A node declared twice (in any cluster of the file) would get two bricks of one set.
  const all = parsed.data.clusters.flatMap((c, ci) =>
    c.nodes.map((n, ni) => ({
      where: `topology.clusters[${ci}].nodes[${ni}]`,
      manageAddress: n.node.hostnames.manage[0]!,
      storageAddress: n.node.hostnames.storage[0]!,
    })),
  );
  const twice = duplicateNodes(all, (i) => all[i]!.where)[0];
  if (twice) {
    const n = all[twice.index]!;
    const list = twice.field === "manageAddress" ? "manage" : "storage";
    throw new RefusedValue(`${n.where}.node.hostnames.${list}[0]`, n[twice.field], twice.refusal);
  }
  const clusters = parsed.data.clusters.map((c, ci): TopologyCluster => {
    const nodes = c.nodes.map((n, ni): TopologyNode => {
      const where = `topology.clusters[${ci}].nodes[${ni}]`;
      const manage = n.node.hostnames.manage;
      const clash = vgClash(n.devices.map((d) => d.name));
      if (clash)
        throw new RefusedValue(
          `${where}.devices[${clash.index}].name`,
          n.devices[clash.index]!.name,
          clash.refusal,
        );
      const devices = n.devices.map((d, di): TopologyDevice => {
        const dev: TopologyDevice = { name: d.name, destroydata: d.destroydata ?? false, tags: d.tags ?? {} };
        if (d.size !== undefined) dev.size = d.size;
        if (d.free !== undefined) dev.free = d.free;
        if (d.size !== undefined && d.free !== undefined && d.free > d.size) {
          throw new ValidationError(
            `${where}.devices[${di}].free`,
            d.free,
            `at most the device size (${d.size} bytes)`,
          );
        }
        return dev;
      });
      return {
        manage,
        storage: n.node.hostnames.storage,
        zone: n.node.zone ?? 1,
        tags: n.node.tags ?? {},
        devices,
      };
    });
    return { id: c.id ?? String(ci), file: c.file ?? true, block: c.block ?? true, nodes };
  });
  const ids = new Set<string>();
  clusters.forEach((c, ci) => {
    if (ids.has(c.id))
      throw new ValidationError(`topology.clusters[${ci}].id`, c.id, "a cluster id used once");
    ids.add(c.id);
  });
  return { clusters };
}

/**
 * Turns a topology into the planner's inventory. A device's free space is, in order: what `live`
 * reports, the topology's `free`, or the usable extents of a fresh volume group on `size`.
 */
export function topologyToInventory(
  topology: Topology,
  live?: (node: string, device: string) => { size: number; free: number; spare?: number } | undefined,
): Inventory {
  return {
    clusters: topology.clusters.map((c, ci) => ({
      id: c.id,
      file: c.file,
      nodes: c.nodes.map((n, ni) => ({
        manage: n.manage[0]!,
        storage: n.storage[0]!,
        zone: n.zone,
        tags: n.tags,
        devices: n.devices.map((d, di) => {
          const known = live?.(n.manage[0]!, d.name);
          if (known)
            return {
              name: d.name,
              size: known.size,
              free: known.free,
              tags: d.tags,
              spare: known.spare ?? 0,
            };
          if (d.free === undefined && d.size === undefined) {
            throw new ValidationError(
              `topology.clusters[${ci}].nodes[${ni}].devices[${di}].size`,
              undefined,
              "a size or free on every device to plan with (bytes, or e.g. 4TiB)",
            );
          }
          const free = d.free !== undefined ? roundDownExtent(d.free) : usableDeviceSize(d.size!);
          return { name: d.name, size: d.size ?? d.free!, free, tags: d.tags };
        }),
      })),
    })),
  };
}
