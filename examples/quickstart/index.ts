// Quickstart: a three-node trusted storage pool with one device per node and a replica-3 volume.
//
// Stack config:
//   nodes                 JSON list of { name, address, storage?, zone?, hostKey?, port?, user?, devices: [path] }
//                         (default: the local lab, read from `npm run lab -- status --json`)
//   size                  volume size, default 2Gi; raise it to expand
//   options               JSON object of Gluster volume options, default {}
//   clusterOptions        JSON object of cluster-wide options (`gluster volume set all`), default none
//   rebalance             after an expansion: `wait` (default) or `start`
//   glusterfs:privateKey  (secret) the SSH key for every node
import { execFileSync } from "node:child_process";
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
  port?: number;
  user?: string;
  devices: string[];
}

const config = new pulumi.Config();
const nodes = config.getObject<NodeConfig[]>("nodes") ?? labNodes();

const cluster = new gluster.GlusterCluster("quickstart", {
  zoneChecking: "strict",
  options: config.getObject<Record<string, string>>("clusterOptions"),
});
for (const [i, n] of nodes.entries()) {
  const node = new gluster.Node(n.name, {
    cluster,
    manageAddress: n.address,
    storageAddress: n.storage ?? n.name,
    zone: n.zone ?? i + 1,
    connection: { hostKey: n.hostKey, port: n.port, user: n.user ?? "root" },
  });
  for (const device of n.devices) {
    new gluster.Device(`${n.name}-${path.basename(device)}`, { node, path: device });
  }
}

const volume = new gluster.Volume("data", {
  cluster,
  name: "data",
  size: config.get("size") ?? "2Gi",
  durability: { type: "replicate", replica: 3 },
  options: config.getObject<Record<string, string>>("options") ?? {},
  rebalance: config.get("rebalance") as "wait" | "start" | undefined,
});

export const mountSource = volume.mountSource;
export const mountOptions = volume.mountOptions;
export const backupVolfileServers = volume.backupVolfileServers;
export const bricks = volume.bricks;
export const volumeId = volume.volumeId;
export const rebalanceStatus = volume.rebalanceStatus;

/** The local lab's nodes (first device of each), when no `nodes` config is set. */
function labNodes(): NodeConfig[] {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "lab/lab.sh"))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error("set the `nodes` stack config: no local lab found above " + __dirname);
    dir = parent;
  }
  const status = JSON.parse(
    execFileSync("bash", [path.join(dir, "lab/lab.sh"), "status", "--json"], { encoding: "utf8" }),
  ) as {
    nodes: { name: string; address: string; storageAddress: string; hostKey: string; dataDisks: string[] }[];
  };
  return status.nodes.slice(0, 3).map((n, i) => ({
    name: n.name,
    address: n.address,
    storage: n.storageAddress,
    zone: i + 1,
    hostKey: n.hostKey,
    devices: n.dataDisks.slice(0, 1),
  }));
}
