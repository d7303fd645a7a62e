// A program whose every knob is stack config, for the e2e fault tests.
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
const zones = config.getObject<number[]>("zones");

const cluster = new gluster.GlusterCluster("faults");
for (const [i, n] of nodes.entries()) {
  const node = new gluster.Node(n.name, {
    cluster,
    manageAddress: n.address,
    storageAddress: n.storage ?? n.name,
    zone: zones?.[i] ?? n.zone ?? i + 1,
    connection: n.hostKey !== undefined ? { hostKey: n.hostKey } : {},
  });
  for (const device of n.devices)
    new gluster.Device(`${n.name}-${device.split("/").pop()}`, { node, path: device });
}

if (config.getBoolean("volume") ?? true) {
  const volume = new gluster.Volume("vol", {
    cluster,
    name: config.get("volumeName") ?? "vol",
    size: config.get("size") ?? "1Gi",
    durability: { type: "replicate", replica: config.getNumber("replica") ?? 3 },
  });
  exports.mountSource = volume.mountSource;
}
