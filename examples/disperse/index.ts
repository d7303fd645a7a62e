// Disperse 2+1: each file is split into two data fragments and one redundancy fragment on three
// nodes; any one node can fail. Usable space is two thirds of the raw bricks.
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

const cluster = new gluster.GlusterCluster("disperse");
for (const [i, n] of nodes.entries()) {
  const node = new gluster.Node(n.name, {
    cluster,
    manageAddress: n.address,
    storageAddress: n.storage ?? n.name,
    zone: n.zone ?? i + 1,
    connection: { hostKey: n.hostKey },
  });
  for (const device of n.devices)
    new gluster.Device(`${n.name}-${path.basename(device)}`, { node, path: device });
}

const volume = new gluster.Volume("archive", {
  cluster,
  name: "archive",
  size: "4Gi",
  durability: { type: "disperse", disperseData: 2, disperseRedundancy: 1 },
});

export const mountSource = volume.mountSource;
export const bricks = volume.bricks;
