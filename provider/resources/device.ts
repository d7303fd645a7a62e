// Device: a raw block device made into one LVM volume group tagged as ours. Preflight refuses
// a disk that holds anything unless `wipe` opts in; delete refuses while bricks remain.
import { z } from "zod";
import { type DeviceInputs, deviceInputsSchema } from "../core/model";
import { hostIdentity, refusalText, vgClash, vgName } from "../core/names";
import { CREDENTIALS, CREDENTIALS_DOC } from "./credentials";
import { declare } from "./declaration";
import type { ProcessMemory } from "./deps";
import { type CheckFailure, type Inputs, sameValue } from "./handler";
import * as ops from "./ops";

/** The device's inputs as the handler uses them (the one place they are parsed). */
function parse(inputs: Inputs): DeviceInputs {
  return deviceInputsSchema.parse(inputs);
}

/**
 * Volume groups claimed by the Devices checked in this provider process (one process serves every
 * resource of a preview or update), keyed by cluster, node and VG name. A Device sees only itself,
 * so two spellings of one disk (/dev/vdb and /dev/mapper/vdb: one VG name) meet here.
 */
function claimVolumeGroup(memory: ProcessMemory, d: DeviceInputs): CheckFailure | undefined {
  const claimed = memory.volumeGroups;
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

export const device = declare({
  kind: "device",
  description: "A raw block device prepared as an LVM volume group for bricks.",
  inputs: deviceInputsSchema,
  outputs: z.object({ vgName: z.string(), sizeBytes: z.number().int(), freeBytes: z.number().int() }),
  replaceOnChanges: ["clusterId", "node", "path"],
  deleteBeforeReplace: true,
  secretInputs: [CREDENTIALS],
  docs: {
    node: "Manage address of the node that holds the device.",
    clusterId: "Id of the GlusterCluster.",
    path: "Device path on the node, e.g. `/dev/vdb`.",
    tags: "Device tags; they overlay the node's tags.",
    wipe: "Opt in to erasing a device that carries partitions, signatures or a filesystem. Default false: such a device is refused.",
    connection: "SSH connection to the node (filled in by the SDK from the node).",
    [CREDENTIALS]: CREDENTIALS_DOC,
    vgName: "LVM volume group made on the device.",
    sizeBytes: "Size of the volume group in bytes.",
    freeBytes: "Free bytes in the volume group.",
  },

  async check(deps, { news, inputs }) {
    const clash = claimVolumeGroup(deps.memory, inputs);
    return clash ? { failures: [clash] } : { inputs: { ...news, ...inputs } };
  },

  async diff(_deps, olds, news) {
    return { changes: ["tags", "wipe", "connection"].some((k) => !sameValue(olds[k], news[k])) };
  },

  async create(deps, raw) {
    const d = parse(raw);
    const vg = await ops.prepareDevice(deps, d);
    return { id: `${d.node}:${d.path}`, outs: { ...raw, ...vg } };
  },

  async read(deps, id, state) {
    const vg = await ops.readDevice(deps, parse(state));
    if (!vg) return {}; // the volume group is gone: refresh drops the device from state
    const outs = { ...state, ...vg };
    return { id, props: outs, inputs: inputsOf(outs) };
  },

  async update(deps, _id, olds, news) {
    const vg = (await ops.readDevice(deps, parse(news))) ?? {
      vgName: olds.vgName,
      sizeBytes: olds.sizeBytes,
      freeBytes: olds.freeBytes,
    };
    return { outs: { ...news, ...vg } };
  },

  async delete(deps, _id, state) {
    await ops.removeDevice(deps, parse(state));
  },
});

function inputsOf(props: Inputs): Inputs {
  const { vgName: _v, sizeBytes: _s, freeBytes: _f, ...inputs } = props;
  return inputs;
}
