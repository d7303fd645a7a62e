// Volume: a Gluster volume whose bricks are LVM thin volumes. `check` plans the bricks into
// the inputs (so preview shows them); create/update make exactly that plan; read finds drift.
// Every operation starts from what the nodes hold for this resource (volume-survey.ts): a name
// used by anyone else is refused, and an operation cut at any step is finished by the next run.
import { ValidationError } from "../core/errors";
import { type Brick, checkedVolumeInputsSchema, type VolumeInputs, volumeInputsSchema } from "../core/model";
import { parseSize } from "../core/units";
import { claimVolumeName, hasLeftovers, noteLeftovers, release, reserve } from "./context";
import { plannerInventoryOf } from "./devices";
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
import { healthOf } from "./volume-health";
import { capacityOf, plan, requestOf } from "./volume-plan";
import {
  type VolumeSurvey,
  attachedUnrecorded,
  creditsOf,
  leftovers,
  markedForAnother,
  nameTakenReason,
  surveyVolume,
} from "./volume-survey";

function parse(inputs: Inputs): VolumeInputs {
  return volumeInputsSchema.parse(withoutEngineKeys(inputs));
}

const outputKeys = ["volumeId", "mountSource", "backupVolfileServers", "mountOptions", "status", "health"];

function fail(property: string, reason: string): { failures: CheckFailure[] } {
  return { failures: [{ property, reason }] };
}

/** The key this volume's planned-but-not-made space is reserved under in this process. */
const reservationKey = (v: VolumeInputs) => `${v.cluster.clusterId}/${v.name}`;

function renameRefusal(from: string, to: string): string {
  return (
    `name: volume ${from} cannot be renamed to ${to}: Gluster cannot rename a volume, and replacing it ` +
    `would delete its data. Keep name "${from}" (set \`name\` explicitly if you renamed the resource), or ` +
    `declare a new Volume with the new name and copy the data.`
  );
}

/** Bricks that stay as they are: recorded in state, or already added to the live volume by a cut expansion. */
function fixedBricks(survey: VolumeSurvey, recorded: Brick[]): Brick[] {
  return [...recorded, ...attachedUnrecorded(survey, recorded)].sort(
    (a, b) => a.set - b.set || a.index - b.index,
  );
}

/** The planner found no placement: said in preview as a refusal of `size`, with the planner's numbers. */
class PlacementRefused extends Error {}

/**
 * The plan from what the nodes hold: fixed bricks stay, and the space this resource's own cut
 * operation took is given back, so the plan it was making comes out again (the planner is
 * deterministic) and the bricks already made are reused rather than orphaned.
 */
function planFrom(v: VolumeInputs, survey: VolumeSurvey, fixed: Brick[]): Brick[] {
  const size = parseSize(v.size, "size");
  if (fixed.length > 0 && capacityOf(fixed, requestOf(v)) >= size) return fixed;
  const inventory = plannerInventoryOf(v, survey.inventories, creditsOf(survey, fixed), reservationKey(v));
  const planned = plan(v, inventory, fixed.length > 0 ? fixed : undefined);
  if (!planned.ok) throw new PlacementRefused(`cannot place volume ${v.name}: ${planned.error}`);
  return planned.bricks;
}

export const volumeHandler: Handler = {
  async check(olds, news) {
    // A rename is refused even while other values are unknown: Gluster cannot rename a volume.
    if (
      typeof olds.name === "string" &&
      typeof news.name === "string" &&
      !containsUnknown(news.name) &&
      olds.name !== news.name
    )
      return fail("name", renameRefusal(olds.name, news.name));
    // Every known value is checked, even while others are unknown (preview).
    const result = validate(checkedVolumeInputsSchema, withoutEngineKeys(news));
    if (!result.ok && result.failures.length > 0) return { failures: result.failures };
    if (!result.ok || containsUnknown(news)) {
      // Nodes or devices are not known yet: plan nothing from guesses; `up` plans for real.
      const { bricks: _b, ...rest } = news;
      return { inputs: rest };
    }
    const previous =
      olds.name !== undefined ? parse({ ...olds, size: olds.size ?? result.value.size }) : undefined;
    if (previous && previous.name !== result.value.name)
      return fail("name", renameRefusal(previous.name, result.value.name));
    // A resource keeps the owner it was made with, so renaming a stack never disowns its volumes.
    const v: VolumeInputs = { ...result.value, owner: previous?.owner ?? result.value.owner };
    if (v.owner === undefined)
      return fail(
        "owner",
        "owner: missing: the Volume's owner (project/stack/resource) marks what it makes; the SDK's Volume sets it, " +
          "set it when calling the provider directly",
      );
    const rival = claimVolumeName(v.cluster.clusterId, v.name, v.owner);
    if (rival !== undefined)
      return fail(
        "name",
        `name: two Volume resources claim volume name ${v.name} on cluster ${v.cluster.clusterId}: ` +
          `${rival} and ${v.owner}. Give one of them another \`name\`.`,
      );
    let size: number;
    try {
      size = parseSize(v.size, "size");
      requestOf(v); // validates durability and sizes against the cluster's policy
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
    if (previous) {
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
    // Read (never change) the nodes: who holds the name, and what a cut operation left.
    const survey = await surveyVolume(v);
    if (!previous) {
      const taken = nameTakenReason(v, survey);
      if (taken) return fail("name", `name: ${taken}`);
    } else {
      // In state already (made here, before owner markers, or imported): only another owner's marker stops it.
      const other = markedForAnother(v, survey);
      if (other)
        return fail(
          "name",
          `name: volume ${v.name} now belongs to ${other}; this resource will not change it`,
        );
    }
    const fixed = fixedBricks(survey, previous?.bricks ?? []);
    let bricks: Brick[];
    try {
      bricks = planFrom(v, survey, fixed);
    } catch (err) {
      if (err instanceof PlacementRefused) return fail("size", `size: ${err.message}`);
      throw err;
    }
    reserve(reservationKey(v), reservationOf(bricks, fixed));
    noteLeftovers(reservationKey(v), leftovers(survey, bricks, previous?.bricks ?? []).length > 0);
    return { inputs: { ...news, ...v, bricks } };
  },

  async diff(_id, olds, news) {
    if (olds.name !== news.name)
      // check refuses a rename; never turn one into a replacement, which would delete the data.
      throw new Error(renameRefusal(String(olds.name), String(news.name)));
    const relevant = ["size", "bricks", "options", "gid", "snapshotFactor", "durability", "owner"];
    const changed = relevant.some((k) => !sameValue(olds[k], news[k]));
    // Left undefined, the engine diffs old and new inputs itself and shows each brick added.
    if (changed) return {};
    // check found bricks a cut operation left that the plan does not use: `up` removes them.
    const v = volumeInputsSchema.safeParse(withoutEngineKeys(news));
    if (v.success && hasLeftovers(reservationKey(v.data))) return { changes: true };
    // Refresh found the volume stopped outside Pulumi: `up` starts it again.
    if (typeof olds.status === "string" && olds.status !== "" && olds.status !== "Started")
      return { changes: true };
    return { changes: false };
  },

  async create(raw) {
    const v = parse(raw);
    if (v.owner === undefined) throw new Error(`volume ${v.name}: owner missing; nothing was changed`);
    // Re-check right before making anything; an unreadable node or glusterd fails closed.
    const survey = await surveyVolume(v);
    const taken = nameTakenReason(v, survey);
    if (taken) throw new Error(`volume.create: ${taken}. Nothing was changed.`);
    const bricks = v.bricks ?? planFrom(v, survey, fixedBricks(survey, []));
    const made = { ...v, bricks };
    try {
      const stale = leftovers(survey, bricks);
      if (stale.length > 0) await ops.destroyOwned(made, stale);
      await ops.createBricks(made, bricks);
      await ops.createVolume(made, bricks);
    } catch (err) {
      await ops.cleanupFailedCreate(made, err);
      throw err;
    }
    release(reservationKey(v));
    const outs = await ops.volumeOutputs(made);
    return { id: v.name, outs: { ...withoutEngineKeys(raw), bricks, ...outs } };
  },

  async read(id, props) {
    const v = parse(props);
    const survey = await surveyVolume(v, true, true);
    if (!survey.volumesKnown)
      throw new Error(
        `volume ${v.name}: cannot read it: glusterd answered on no node` +
          (survey.unreachable.length > 0 ? ` (unreachable: ${survey.unreachable.join(", ")})` : ""),
      );
    const live = survey.live;
    if (!live) return {}; // deleted outside Pulumi: refresh drops it from state
    const options = { ...v.options };
    for (const key of Object.keys(options)) {
      if (live.options[key] === undefined) delete options[key];
      else options[key] = live.options[key]!;
    }
    const liveBricks = new Set(live.bricks.map((b) => b.spec));
    const recorded = (v.bricks ?? []).filter((b) => liveBricks.has(`${b.storage}:${b.path}`));
    // Bricks a cut expansion added to the volume are recorded too, so refresh repairs state.
    const bricks = fixedBricks(survey, recorded);
    const health = await healthOf(v, survey);
    const outs = { ...props, options, bricks, volumeId: live.id, status: live.status, health };
    const inputs = Object.fromEntries(
      Object.entries(withoutEngineKeys(outs)).filter(([k]) => !outputKeys.includes(k)),
    );
    return { id, props: outs, inputs };
  },

  async update(_id, olds, news) {
    const before = parse(olds);
    const after = parse(news);
    const survey = await surveyVolume(after);
    const other = markedForAnother(after, survey);
    if (other) throw new Error(`volume ${after.name} now belongs to ${other}; nothing was changed`);
    if (!survey.live)
      throw new Error(
        `volume ${after.name} does not exist on the cluster: run \`pulumi refresh\`; nothing was changed`,
      );
    const fixed = fixedBricks(survey, before.bricks ?? []);
    const bricks = after.bricks ?? planFrom(after, survey, fixed);
    const next = { ...after, bricks };
    // Bricks a cut operation made that this plan does not use go first (they free the space).
    const stale = leftovers(survey, bricks, before.bricks ?? []);
    if (stale.length > 0) await ops.destroyOwned(next, stale);
    const fixedById = new Map(fixed.map((b) => [b.id, b]));
    const added = bricks.filter((b) => !fixedById.has(b.id));
    const grown = bricks.filter((b) => (fixedById.get(b.id)?.size ?? b.size) < b.size);
    if (grown.length > 0) await ops.growBricks(next, grown);
    if (added.length > 0) await ops.createBricks(next, added);
    if (bricks.length > survey.live.brickCount) await ops.expandVolume(next, added);
    else await ops.rebalanceIfPending(next, survey.live);
    await ops.claimOwnership(next, survey.live);
    await ops.updateOptions(next, before.options, after.options);
    await ops.ensureStarted(next);
    release(reservationKey(after));
    const outs = await ops.volumeOutputs(next);
    return { outs: { ...withoutEngineKeys(news), bricks, ...outs } };
  },

  async delete(_id, props) {
    await ops.deleteVolume(parse(props));
  },
};

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
