// Device: a raw block device made into one LVM volume group tagged as ours. Preflight refuses
// a disk that holds anything unless `wipe` opts in; delete refuses while bricks remain.
import { type DeviceInputs, deviceInputsSchema } from "../core/model";
import { hostIdentity, refusalText, vgClash, vgName } from "../core/names";
import {
  type CheckFailure,
  containsUnknown,
  type Handler,
  type Inputs,
  sameValue,
  validate,
  withoutEngineKeys,
} from "./handler";
import * as ops from "./ops";

/**
 * Volume groups claimed by the Devices checked in this provider process (one process serves every
 * resource of a preview or update), keyed by cluster, node and VG name. A Device sees only itself,
 * so two spellings of one disk (/dev/vdb and /dev/mapper/vdb: one VG name) meet here.
 */
const claimed = new Map<string, string>();

function claimVolumeGroup(d: DeviceInputs): CheckFailure | undefined {
  const key = `${d.clusterId}|${hostIdentity(d.node)}|${vgName(d.clusterId, d.path)}`;
  const other = claimed.get(key);
  if (other !== undefined && other !== d.path) {
    const { why, fix } = vgClash([other, d.path], d.clusterId)!.refusal;
    return {
      property: "path",
      reason: refusalText("path", d.path, {
        why: `${why} (${other} is another Device of node ${d.node})`,
        fix,
      }),
    };
  }
  claimed.set(key, d.path);
  return undefined;
}

function parse(inputs: Inputs): DeviceInputs {
  return deviceInputsSchema.parse(withoutEngineKeys(inputs));
}

export const deviceHandler: Handler = {
  async check(_olds, news) {
    const result = validate(deviceInputsSchema, withoutEngineKeys(news));
    if (!result.ok)
      // No failures: only values not known yet (preview) were in question.
      return result.failures.length > 0 ? { failures: result.failures } : { inputs: news };
    const clash = containsUnknown(news) ? undefined : claimVolumeGroup(result.value);
    return clash ? { failures: [clash] } : { inputs: { ...news, ...result.value } };
  },

  async diff(_id, olds, news) {
    const replaces = ["clusterId", "node", "path"].filter((k) => olds[k] !== news[k]);
    if (replaces.length > 0) return { replaces, deleteBeforeReplace: true };
    const changed = ["tags", "wipe", "connection"].some((k) => !sameValue(olds[k], news[k]));
    return { changes: changed };
  },

  async create(raw) {
    const device = parse(raw);
    const vg = await ops.prepareDevice(device);
    return { id: `${device.node}:${device.path}`, outs: { ...withoutEngineKeys(raw), ...vg } };
  },

  async read(id, props) {
    const device = parse(props);
    const vg = await ops.readDevice(device);
    if (!vg) return {}; // the volume group is gone: refresh drops the device from state
    const outs = { ...props, ...vg };
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(_id, olds, news) {
    const device = parse(news);
    const vg = (await ops.readDevice(device)) ?? {
      vgName: olds.vgName,
      sizeBytes: olds.sizeBytes,
      freeBytes: olds.freeBytes,
    };
    return { outs: { ...withoutEngineKeys(news), ...vg } };
  },

  async delete(_id, props) {
    await ops.removeDevice(parse(props));
  },
};

function inputsOf(props: Inputs): Inputs {
  const { vgName: _v, sizeBytes: _s, freeBytes: _f, ...inputs } = withoutEngineKeys(props);
  return inputs;
}
