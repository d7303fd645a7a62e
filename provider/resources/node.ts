// Node: a member of the trusted storage pool. Create checks glusterd and probes the node from a
// member declared before it; delete refuses while the node holds bricks, then detaches it.
import { z } from "zod";
import { type NodeInputs, checkedNodeInputsSchema, nodeInputsSchema } from "../core/model";
import { CREDENTIALS, CREDENTIALS_DOC } from "./credentials";
import { declare } from "./declaration";
import { type Inputs, sameValue } from "./handler";
import * as ops from "./ops";

/** The node's inputs as the handler uses them (the one place they are parsed). */
function parse(inputs: Inputs): NodeInputs {
  return nodeInputsSchema.parse(inputs);
}

/** Properties that only describe the node to planning; changing them touches nothing on it. */
const stateOnly = ["zone", "tags", "connection"];

export const node = declare({
  kind: "node",
  description:
    "A storage node: a member of the trusted storage pool. Creating it probes the peer from an existing member; deleting it detaches the peer.",
  inputs: checkedNodeInputsSchema,
  outputs: z.object({ peerUuid: z.string(), peerState: z.string() }),
  replaceOnChanges: ["clusterId", "manageAddress", "storageAddress"],
  deleteBeforeReplace: true,
  secretInputs: [CREDENTIALS],
  docs: {
    clusterId: "Id of the GlusterCluster the node joins.",
    manageAddress: "Hostname or address used to manage the node (SSH).",
    storageAddress:
      "Hostname or IPv4 address Gluster uses for the node's bricks and peering (not IPv6, not loopback). Default: the manage address.",
    zone: "Failure domain of the node, an integer from 0 to 2147483647 (a Heketi topology.json starts at 1). Default 1.",
    tags: "Node tags, e.g. `arbiter: required`.",
    connection: "SSH connection to the node: the cluster's default overlaid by the node's own fields.",
    members:
      "Nodes declared before this one (filled in by the SDK); the first reachable one probes this node into the pool.",
    [CREDENTIALS]: CREDENTIALS_DOC,
    peerUuid: "Gluster peer UUID of the node.",
    peerState: "Peer state as the pool sees it.",
  },

  async diff(_deps, olds, news) {
    // `members` lists the nodes declared earlier; it changes when they do and needs no action here.
    return { changes: stateOnly.some((k) => !sameValue(olds[k], news[k])) };
  },

  async create(deps, raw) {
    const n = parse(raw);
    await ops.glusterdCheck(deps, n);
    await ops.joinPool(deps, n, n.members);
    const peer = await ops.peerInfo(deps, n);
    return { id: n.manageAddress, outs: { ...raw, ...peer } };
  },

  async read(deps, id, state) {
    const peer = await ops.peerInfo(deps, parse(state));
    const outs = { ...state, ...peer };
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(deps, _id, _olds, news) {
    const peer = await ops.peerInfo(deps, parse(news));
    return { outs: { ...news, ...peer } };
  },

  async delete(deps, _id, state) {
    await ops.leavePool(deps, parse(state));
  },
});

function inputsOf(props: Inputs): Inputs {
  const { peerUuid: _u, peerState: _s, ...inputs } = props;
  return inputs;
}
