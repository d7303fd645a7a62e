// GlusterCluster: the pool's identity and the policy its volumes follow. It makes nothing on
// the nodes itself; nodes, devices and volumes carry its id in their LVM tags.
import { z } from "zod";
import { clusterPolicySchema } from "../core/model";
import { declare } from "./declaration";
import { sameValue } from "./handler";

export const cluster = declare({
  kind: "cluster",
  description: "A trusted storage pool and the policy its volumes follow.",
  inputs: clusterPolicySchema,
  outputs: z.object({}),
  replaceOnChanges: ["clusterId"],
  deleteBeforeReplace: false,
  secretInputs: [],
  docs: {
    clusterId:
      "Name of the cluster; tags every volume group and brick the provider makes. Default: the resource name.",
    zoneChecking:
      "Default failure-domain rule for volumes: `strict` (never two bricks of a set in one zone), `prefer` or `none`. Default `strict`.",
    brickRoot:
      "Directory under which brick filesystems are mounted: a normalised absolute path of at most 160 characters, not a system directory (`/etc`, `/var`, `/tmp`, ...). Default `/var/lib/glusterfs-bricks`.",
    minBrickSize: "Smallest brick the planner makes, in whole bytes, at least 300 MiB. Default 1 GiB.",
    maxBrickSize: "Largest brick the planner makes, in whole bytes, at least the smallest. Default 4 TiB.",
    maxBricksPerVolume: "Most bricks one volume may have (at least one set, at most 100000). Default 32.",
    expandMode: "How volumes grow by default: `add-sets` or `grow`. Default `add-sets`.",
  },

  async diff(_deps, olds, news) {
    return { changes: !sameValue(olds, news) };
  },
  async create(_deps, inputs) {
    return { id: String(inputs.clusterId), outs: inputs };
  },
  async read(_deps, id, state) {
    return { id, props: state, inputs: state };
  },
  async update(_deps, _id, _olds, news) {
    return { outs: news };
  },
  async delete() {
    // Nothing on the nodes belongs to the cluster itself; its nodes and devices are deleted first.
  },
});
