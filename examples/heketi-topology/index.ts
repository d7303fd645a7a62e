// Bring an existing Heketi topology.json across unchanged: every cluster, node and device in it
// becomes a GlusterCluster, Node and Device, and a volume is placed on them.
//
// Stack config:
//   hostKeys              optional JSON map of manage hostname -> pinned host key ("ssh-ed25519 AAAA...")
//   glusterfs:privateKey  (secret) the SSH key for every node
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as gluster from "pulumi-glusterfs";

const config = new pulumi.Config();
const hostKeys = config.getObject<Record<string, string>>("hostKeys") ?? {};

const [pool] = gluster.fromHeketiTopology("heketi", path.join(__dirname, "topology.json"), {
  connection: { user: "root" },
  connections: Object.fromEntries(Object.entries(hostKeys).map(([host, hostKey]) => [host, { hostKey }])),
});

const volume = new gluster.Volume("shared", { cluster: pool!.cluster, name: "shared", size: "3Gi" });

export const mountSource = volume.mountSource;
export const bricks = volume.bricks;
