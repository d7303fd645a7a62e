// Storage nodes whose addresses come from another resource of the same program, as they do
// when the program also makes the machines (VMs, a bare-metal inventory, DNS records). Here a
// small stand-in, `Inventory`, outputs the nodes it was given only once it has been created, so
// during the first preview every address and disk path is unknown: the preview plans no bricks,
// `up` creates the inventory, then the nodes, devices and the volume, and the next preview shows
// the plan with no changes. The Volume is declared first: its cluster's nodes and devices are
// taken once the program has declared them all.
//
// Stack config:
//   nodes                 JSON list of { name, address, storage?, zone?, hostKey?, devices: [path] }
//   size                  volume size, default 1Gi
//   glusterfs:privateKey  (secret) the SSH key for every node
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

/** Hands back the nodes it was given, as an output computed on create (unknown in a first preview). */
const inventoryProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "inventory", outs: { ...inputs, nodes: JSON.parse(String(inputs.spec)) } };
  },
  async diff(_id, olds, news) {
    return { changes: olds.spec !== news.spec, replaces: olds.spec !== news.spec ? ["spec"] : [] };
  },
};

class Inventory extends pulumi.dynamic.Resource {
  public readonly nodes!: pulumi.Output<NodeConfig[]>;
  constructor(name: string, spec: NodeConfig[]) {
    super(inventoryProvider, name, { spec: JSON.stringify(spec), nodes: undefined }, {});
  }
}

const config = new pulumi.Config();
const nodes = config.requireObject<NodeConfig[]>("nodes");

const cluster = new gluster.GlusterCluster("outputs");
const volume = new gluster.Volume("data", {
  cluster,
  name: "fromoutputs",
  size: config.get("size") ?? "1Gi",
});

const inventory = new Inventory("inventory", nodes);
for (const [i, n] of nodes.entries()) {
  const listed = inventory.nodes.apply((all) => all[i]!);
  const node = new gluster.Node(n.name, {
    cluster,
    manageAddress: listed.address,
    storageAddress: listed.apply((l) => l.storage ?? l.name),
    zone: listed.apply((l) => l.zone ?? i + 1),
    connection: { hostKey: listed.apply((l) => l.hostKey as string) },
  });
  for (const [d, device] of n.devices.entries())
    new gluster.Device(`${n.name}-${device.split("/").pop()}`, {
      node,
      path: listed.apply((l) => l.devices[d]!),
    });
}

export const mountSource = volume.mountSource;
export const bricks = volume.bricks;
