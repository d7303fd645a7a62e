// Load a Heketi topology.json unchanged: one GlusterCluster per cluster in the file, a Node per
// node and a Device per device, named after their hostnames and device paths.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { GlusterCluster, GlusterClusterArgs } from "./cluster";
import { ConnectionArgs } from "./connection";
import { Device } from "./device";
import { Node } from "./node";
import { parseHeketiTopology } from "../../provider/core/topology";

export interface HeketiTopologyOptions extends GlusterClusterArgs {
  /** Per-node SSH connection overrides, keyed by manage hostname. */
  connections?: Record<string, pulumi.Input<ConnectionArgs>>;
}

export interface LoadedCluster {
  cluster: GlusterCluster;
  nodes: Node[];
  devices: Device[];
}

/** Declares the clusters, nodes and devices of a Heketi topology.json (a path or the parsed JSON). */
export function fromHeketiTopology(
  name: string,
  topology: string | unknown,
  options: HeketiTopologyOptions = {},
  opts?: pulumi.CustomResourceOptions,
): LoadedCluster[] {
  const json = typeof topology === "string" ? JSON.parse(fs.readFileSync(topology, "utf8")) : topology;
  const parsed = parseHeketiTopology(json);
  const { connections, ...clusterArgs } = options;
  return parsed.clusters.map((c, ci) => {
    const clusterName = parsed.clusters.length === 1 ? name : `${name}-${ci + 1}`;
    const cluster = new GlusterCluster(
      clusterName,
      { clusterId: clusterArgs.clusterId ?? clusterName, ...clusterArgs },
      opts,
    );
    const nodes: Node[] = [];
    const devices: Device[] = [];
    for (const n of c.nodes) {
      const manage = n.manage[0]!;
      const connection = connections?.[manage];
      const node = new Node(
        `${clusterName}-${manage}`,
        {
          cluster,
          manageAddress: manage,
          storageAddress: n.storage[0] ?? manage,
          zone: n.zone,
          tags: n.tags,
          ...(connection !== undefined ? { connection } : {}),
        },
        opts,
      );
      nodes.push(node);
      for (const d of n.devices) {
        devices.push(
          new Device(`${clusterName}-${manage}-${d.name.replace(/^\/dev\//, "").replace(/\//g, "-")}`, {
            node,
            path: d.name,
            tags: d.tags,
            wipe: d.destroydata,
          }),
        );
      }
    }
    return { cluster, nodes, devices };
  });
}
