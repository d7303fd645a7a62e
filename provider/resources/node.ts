// Node: a member of the trusted storage pool. Create checks glusterd and probes the node from a
// member declared before it; delete refuses while the node holds bricks, then detaches it.
import { type NodeInputs, checkedNodeInputsSchema, nodeInputsSchema } from "../core/model";
import { type Handler, type Inputs, sameValue, validate, withoutEngineKeys } from "./handler";
import * as ops from "./ops";

function parse(inputs: Inputs): NodeInputs {
  return nodeInputsSchema.parse(withoutEngineKeys(inputs));
}

/** Properties that only describe the node to planning; changing them touches nothing on it. */
const stateOnly = ["zone", "tags", "connection", "members"];

export const nodeHandler: Handler = {
  async check(_olds, news) {
    const result = validate(checkedNodeInputsSchema, withoutEngineKeys(news));
    if (result.ok) return { inputs: { ...news, ...result.value } };
    // No failures: only values not known yet (preview) were in question.
    return result.failures.length > 0 ? { failures: result.failures } : { inputs: news };
  },

  async diff(_id, olds, news) {
    const replaces = ["clusterId", "manageAddress", "storageAddress"].filter((k) => olds[k] !== news[k]);
    if (replaces.length > 0) return { replaces, deleteBeforeReplace: true };
    // `members` lists the nodes declared earlier; it changes when they do and needs no action here.
    const changed = stateOnly.filter((k) => k !== "members").some((k) => !sameValue(olds[k], news[k]));
    return { changes: changed };
  },

  async create(raw) {
    const node = parse(raw);
    await ops.glusterdCheck(node);
    await ops.joinPool(node, node.members);
    const peer = await ops.peerInfo(node);
    return { id: node.manageAddress, outs: { ...withoutEngineKeys(raw), ...peer } };
  },

  async read(id, props) {
    const node = parse(props);
    const peer = await ops.peerInfo(node);
    const outs = { ...props, ...peer };
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(_id, _olds, news) {
    const node = parse(news);
    const peer = await ops.peerInfo(node);
    return { outs: { ...withoutEngineKeys(news), ...peer } };
  },

  async delete(_id, props) {
    const node = parse(props);
    await ops.leavePool(node);
  },
};

function inputsOf(props: Inputs): Inputs {
  const { peerUuid: _u, peerState: _s, ...inputs } = withoutEngineKeys(props);
  return inputs;
}
