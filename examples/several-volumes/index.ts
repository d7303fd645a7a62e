// Several volumes in one cluster: a replica-3 volume, a replica-3 volume with an arbiter and a
// disperse 2+1 volume, on three nodes with every listed disk in the pool. Pulumi creates,
// expands and deletes the three at once; their bricks share the nodes' disks.
//
// Stack config:
//   nodes              JSON list of { name, address, storage?, zone?, hostKey?, devices: [path] }
//   replicatedSize     size of the replica-3 volume, default 1Gi; raise it to expand
//   arbitratedSize     size of the arbiter volume, default 1Gi
//   dispersedSize      size of the disperse 2+1 volume, default 2Gi
//   volumes            JSON list of the volumes to declare, default all three
//   clusterId          default "several"; stacks that share nodes need one each
//   volumePrefix       put in front of every volume name (Gluster names are pool-wide), default ""
//   sharedPool         true when other stacks use the same nodes: destroying this stack then leaves
//                      the nodes in the trusted pool (their volumes and disks are still removed)
//   privateKeyFile     an SSH key file, read here and passed in the cluster's connection;
//                      without it the provider uses the stack secret glusterfs:privateKey
//   password           an SSH password, passed in the cluster's connection (set it with --secret)
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as gluster from "pulumi-glusterfs";

interface NodeConfig {
  name: string;
  address: string;
  storage?: string;
  zone?: number;
  hostKey?: string;
  devices: string[];
}

const config = new pulumi.Config();
const nodes = config.requireObject<NodeConfig[]>("nodes");
const prefix = config.get("volumePrefix") ?? "";
const keyFile = config.get("privateKeyFile");

const cluster = new gluster.GlusterCluster("several", {
  clusterId: config.get("clusterId") ?? "several",
  connection: {
    user: "root",
    ...(keyFile ? { privateKey: fs.readFileSync(keyFile, "utf8") } : {}),
    password: config.get("password"),
  },
});
const sharedPool = config.getBoolean("sharedPool") ?? false;
for (const [i, n] of nodes.entries()) {
  const node = new gluster.Node(
    n.name,
    {
      cluster,
      manageAddress: n.address,
      storageAddress: n.storage ?? n.name,
      zone: n.zone ?? i + 1,
      connection: { hostKey: n.hostKey },
    },
    { retainOnDelete: sharedPool },
  );
  // A device's volume group is this stack's own: removed on destroy even when the node stays
  // in the pool (a child inherits retainOnDelete from its node unless it says otherwise).
  for (const device of n.devices)
    new gluster.Device(
      `${n.name}-${path.basename(device)}`,
      { node, path: device },
      { retainOnDelete: false },
    );
}

// One entry per volume: its resource name, its durability and its default size.
const layouts: [string, gluster.DurabilityArgs, string][] = [
  ["replicated", { type: "replicate", replica: 3 }, "1Gi"],
  ["arbitrated", { type: "replicate", replica: 3, arbiter: true }, "1Gi"],
  ["dispersed", { type: "disperse", disperseData: 2, disperseRedundancy: 1 }, "2Gi"],
];
const wanted = config.getObject<string[]>("volumes") ?? layouts.map(([name]) => name);
const volumes = layouts
  .filter(([name]) => wanted.includes(name))
  .map(([name, durability, size]) => {
    const volume = new gluster.Volume(name, {
      cluster,
      name: `${prefix}${name}`,
      size: config.get(`${name}Size`) ?? size,
      durability,
      // Sizes the arbiter's bricks (metadata only) from the expected number of files.
      ...(durability.type === "replicate" && durability.arbiter ? { averageFileSize: "1MiB" } : {}),
    });
    return [`${prefix}${name}`, { mountSource: volume.mountSource, bricks: volume.bricks }] as const;
  });

export const mountSources = Object.fromEntries(volumes.map(([name, v]) => [name, v.mountSource]));
export const bricks = Object.fromEntries(volumes.map(([name, v]) => [name, v.bricks]));
