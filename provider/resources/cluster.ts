// GlusterCluster: the pool's identity and the policy its volumes follow. It makes nothing on
// the nodes itself; nodes, devices and volumes carry its id in their LVM tags.
import { clusterPolicySchema } from "../core/model";
import { type Handler, type Inputs, sameValue, validate, withoutEngineKeys } from "./handler";

export const clusterHandler: Handler = {
  async check(_olds, news) {
    const result = validate(clusterPolicySchema, withoutEngineKeys(news));
    if (result.ok) return { inputs: { ...news, ...result.value } };
    // No failures: only values not known yet (preview) were in question.
    return result.failures.length > 0 ? { failures: result.failures } : { inputs: news };
  },
  async diff(_id, olds, news) {
    if (olds.clusterId !== news.clusterId) return { replaces: ["clusterId"] };
    return { changes: !sameValue(withoutEngineKeys(olds), withoutEngineKeys(news)) };
  },
  async create(inputs) {
    return { id: String(inputs.clusterId), outs: withoutEngineKeys(inputs) };
  },
  async read(id, props: Inputs) {
    return { id, props, inputs: props };
  },
  async update(_id, _olds, news) {
    return { outs: withoutEngineKeys(news) };
  },
  async delete() {
    // Nothing on the nodes belongs to the cluster itself; its nodes and devices are deleted first.
  },
};
