// Volume: a Gluster volume whose bricks are LVM thin volumes. `check` plans the bricks into
// the inputs (so preview shows them); create/update make exactly that plan; read finds drift.
import { ValidationError } from "../core/errors";
import { type Brick, checkedVolumeInputsSchema, type VolumeInputs, volumeInputsSchema } from "../core/model";
import { parseSize } from "../core/units";
import { release, reserve } from "./context";
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
import { capacityOf, plan, requestOf } from "./volume-plan";

function parse(inputs: Inputs): VolumeInputs {
  return volumeInputsSchema.parse(withoutEngineKeys(inputs));
}

const outputKeys = ["volumeId", "mountSource", "backupVolfileServers", "mountOptions", "status"];

function fail(property: string, reason: string): { failures: CheckFailure[] } {
  return { failures: [{ property, reason }] };
}

export const volumeHandler: Handler = {
  async check(olds, news) {
    // Every known value is checked, even while others are unknown (preview).
    const result = validate(checkedVolumeInputsSchema, withoutEngineKeys(news));
    if (!result.ok && result.failures.length > 0) return { failures: result.failures };
    if (!result.ok || containsUnknown(news)) {
      // Nodes or devices are not known yet: plan nothing from guesses; `up` plans for real.
      const { bricks: _b, ...rest } = news;
      return { inputs: rest };
    }
    const v = result.value;
    let size: number;
    let request;
    try {
      size = parseSize(v.size, "size");
      request = requestOf(v);
    } catch (err) {
      if (err instanceof ValidationError) {
        // The planner names fields as its request does; say them as the user wrote them.
        const message = err.message
          .replace(/durability\.data\b/g, "durability.disperseData")
          .replace(/durability\.redundancy\b/g, "durability.disperseRedundancy")
          .replace(/^maxBricks:/, "cluster.maxBricksPerVolume:");
        const property =
          err.field === "maxBricks" ? "cluster.maxBricksPerVolume" : err.field.split(/[.[]/)[0];
        return fail(property ?? "size", message);
      }
      throw err;
    }
    const previous = olds.name !== undefined ? parse({ ...olds, size: olds.size ?? v.size }) : undefined;
    const existing = previous && previous.name === v.name ? previous.bricks : undefined;
    if (previous && previous.name === v.name) {
      const before = parseSize(previous.size, "size");
      if (size < before)
        return fail(
          "size",
          `size: shrinking volume ${v.name} from ${previous.size} to ${v.size} is refused: Gluster cannot shrink a ` +
            `volume without migrating data off whole bricks. Keep the size, or create a smaller volume and copy the data.`,
        );
      if (!sameValue(previous.durability, v.durability))
        return fail(
          "durability",
          `durability: volume ${v.name} cannot change from ${JSON.stringify(previous.durability)} to ` +
            `${JSON.stringify(v.durability)} in place. Create a new volume with the new durability and copy the data.`,
        );
    }
    if (existing && existing.length > 0 && capacityOf(existing, request) >= size) {
      return { inputs: { ...news, ...v, bricks: existing } }; // nothing to plan: the bricks stay
    }
    const inventory = await ops.plannerInventory(v);
    const planned = plan(v, inventory, existing);
    if (!planned.ok) return fail("size", `size: cannot place volume ${v.name}: ${planned.error}`);
    reserve(v.name, reservationOf(planned.bricks, existing ?? []));
    return { inputs: { ...news, ...v, bricks: planned.bricks } };
  },

  async diff(_id, olds, news) {
    if (olds.name !== news.name) return { replaces: ["name"], deleteBeforeReplace: true };
    const relevant = ["size", "bricks", "options", "gid", "snapshotFactor", "durability"];
    const changed = relevant.some((k) => !sameValue(olds[k], news[k]));
    // Left undefined, the engine diffs old and new inputs itself and shows each brick added.
    if (changed) return {};
    // Refresh found the volume stopped outside Pulumi: `up` starts it again.
    if (typeof olds.status === "string" && olds.status !== "" && olds.status !== "Started")
      return { changes: true };
    return { changes: false };
  },

  async create(raw) {
    const v = parse(raw);
    const bricks = v.bricks ?? (await planNow(v));
    const made = { ...v, bricks };
    try {
      await ops.createBricks(made, bricks);
      await ops.createVolume(made, bricks);
    } catch (err) {
      await ops.cleanupFailedCreate(made, bricks, err);
      throw err;
    }
    release(v.name);
    const outs = await ops.volumeOutputs(made);
    return { id: v.name, outs: { ...withoutEngineKeys(raw), bricks, ...outs } };
  },

  async read(id, props) {
    const v = parse(props);
    const live = await ops.readVolume(v);
    if (!live) return {}; // deleted outside Pulumi: refresh drops it from state
    const options = { ...v.options };
    for (const key of Object.keys(options)) {
      if (live.options[key] === undefined) delete options[key];
      else options[key] = live.options[key]!;
    }
    const liveBricks = new Set(live.bricks);
    const bricks = (v.bricks ?? []).filter((b) => liveBricks.has(`${b.storage}:${b.path}`));
    const outs = { ...props, options, bricks, volumeId: live.id, status: live.status };
    const inputs = Object.fromEntries(
      Object.entries(withoutEngineKeys(outs)).filter(([k]) => !outputKeys.includes(k)),
    );
    return { id, props: outs, inputs };
  },

  async update(_id, olds, news) {
    const before = parse(olds);
    const after = parse(news);
    const bricks = after.bricks ?? (await planNow(after, before.bricks));
    const next = { ...after, bricks };
    const oldById = new Map((before.bricks ?? []).map((b) => [b.id, b]));
    const added = bricks.filter((b) => !oldById.has(b.id));
    const grown = bricks.filter((b) => (oldById.get(b.id)?.size ?? b.size) < b.size);
    if (grown.length > 0) await ops.growBricks(next, grown);
    if (added.length > 0) {
      await ops.createBricks(next, added);
      await ops.expandVolume(next, added);
    }
    await ops.updateOptions(next, before.options, after.options);
    await ops.ensureStarted(next);
    release(after.name);
    const outs = await ops.volumeOutputs(next);
    return { outs: { ...withoutEngineKeys(news), bricks, ...outs } };
  },

  async delete(_id, props) {
    await ops.deleteVolume(parse(props));
  },
};

async function planNow(v: VolumeInputs, existing?: Brick[]): Promise<Brick[]> {
  const planned = plan(v, await ops.plannerInventory(v), existing);
  if (!planned.ok) throw new Error(`cannot place volume ${v.name}: ${planned.error}`);
  return planned.bricks;
}

/** Bytes each new brick takes from its device, keyed "node|device". */
function reservationOf(bricks: Brick[], existing: Brick[]): Map<string, number> {
  const old = new Map(existing.map((b) => [b.id, b]));
  const out = new Map<string, number>();
  for (const b of bricks) {
    const before = old.get(b.id);
    const extra = b.poolSize + b.metadataSize - (before ? before.poolSize + before.metadataSize : 0);
    if (extra > 0) out.set(`${b.node}|${b.device}`, (out.get(`${b.node}|${b.device}`) ?? 0) + extra);
  }
  return out;
}
