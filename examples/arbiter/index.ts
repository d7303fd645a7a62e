// Replica 3 with an arbiter: two full copies plus a metadata-only third brick, sized from the
// expected number of files. The node tagged `arbiter: required` takes every arbiter brick.
//
// Stack config: nodes (as in the quickstart), glusterfs:privateKey (secret).
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

const cluster = new gluster.GlusterCluster("arbiter");
for (const [i, n] of nodes.entries()) {
  const node = new gluster.Node(n.name, {
    cluster,
    manageAddress: n.address,
    storageAddress: n.storage ?? n.name,
    zone: n.zone ?? i + 1,
    // The last node is the arbiter: it takes only arbiter bricks; the others never do.
    tags: { arbiter: i === nodes.length - 1 ? "required" : "disabled" },
    connection: { hostKey: n.hostKey },
  });
  for (const device of n.devices)
    new gluster.Device(`${n.name}-${path.basename(device)}`, { node, path: device });
}

const volume = new gluster.Volume("vmstore", {
  cluster,
  name: "vmstore",
  size: "4Gi",
  durability: { type: "replicate", replica: 3, arbiter: true },
  averageFileSize: "1MiB",
});

export const mountSource = volume.mountSource;
export const bricks = volume.bricks;
