// Volume: a Gluster volume whose bricks are LVM thin volumes. `check` plans the bricks into
// the inputs (so preview shows them); create/update make exactly that plan; read finds drift.
// Every operation starts from what the nodes hold for this resource (volume-survey.ts): a name
// used by anyone else is refused, and an operation cut at any step is finished by the next run.
import { ValidationError } from "../core/errors";
import {
  type Brick,
  checkedVolumeInputsSchema,
  type VolumeInputs,
  volumeInputsSchema,
  volumeOutputsSchema,
} from "../core/model";
import { DEFAULTS, type RebalanceState } from "../core/defaults";
import { parseSize } from "../core/units";
import * as node from "../node";
import { CREDENTIALS, CREDENTIALS_DOC } from "./credentials";
import { declare } from "./declaration";
import type { Deps } from "./deps";
import { plannerInventoryOf } from "./devices";
import { type CheckFailure, containsUnknown, type Inputs, sameValue } from "./handler";
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

/** The volume's inputs as the handler uses them (the one place they are parsed). */
function parse(inputs: Inputs): VolumeInputs {
  return volumeInputsSchema.parse(inputs);
}

/** Properties read from the cluster, never inputs. */
const outputKeys = Object.keys(volumeOutputsSchema.shape);

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
function planFrom(deps: Deps, v: VolumeInputs, survey: VolumeSurvey, fixed: Brick[]): Brick[] {
  const size = parseSize(v.size, "size");
  if (fixed.length > 0 && capacityOf(fixed, requestOf(v)) >= size) return fixed;
  const inventory = plannerInventoryOf(
    deps.memory,
    v,
    survey.inventories,
    creditsOf(survey, fixed),
    reservationKey(v),
  );
  const planned = plan(v, inventory, fixed.length > 0 ? fixed : undefined);
  if (!planned.ok) throw new PlacementRefused(`cannot place volume ${v.name}: ${planned.error}`);
  return planned.bricks;
}

export const volume = declare({
  kind: "volume",
  description: "A GlusterFS volume whose bricks are LVM thin volumes placed across failure domains.",
  inputs: checkedVolumeInputsSchema,
  outputs: volumeOutputsSchema,
  replaceOnChanges: [],
  deleteBeforeReplace: false,
  secretInputs: [CREDENTIALS],
  docs: {
    cluster: "The cluster's id and policy (filled in by the SDK from the GlusterCluster).",
    name: "Gluster volume name: a letter, then letters, digits, `_` and `-` (at most 64); words the gluster CLI reserves (`all`, `help`, `volume`, ...) are refused. The SDK defaults it to the resource name.",
    owner:
      "The one Volume resource owning the volume, as project/stack/resource (set by the SDK). Marked on the Gluster volume and, as a digest, on every brick; nothing marked for another owner is ever changed.",
    size: "Total usable size: bytes, or a string such as `10GiB` or `10Gi`. Growing it expands the volume; shrinking is refused.",
    durability:
      "How the volume keeps data safe. It cannot change in place: a change is refused; declare a new volume and copy the data.",
    snapshotFactor:
      "Thin pool size as a multiple of the brick size, to leave room for snapshots. Default 1 (no reserve).",
    gid: "Group id that owns the brick directories (mode 2775).",
    options:
      "Gluster volume options by full dotted name, e.g. `performance.cache-size: 64MB`. Values are non-empty, single-line and do not start with `-`; `group` and `user.glusterfs-provider.*` (the provider's markers) are refused.",
    zoneChecking: "Failure-domain rule for this volume; overrides the cluster's.",
    tagMatch: "Only use devices whose tags match every rule.",
    averageFileSize: "Expected average file size, for sizing arbiter bricks. Default 64KiB.",
    expandMode:
      "How to grow: `add-sets` (new sets) or `grow` (enlarge bricks in place). Default: the cluster's.",
    rebalance:
      "After an expansion: `wait` (default) makes `up` wait until the rebalance has finished (a failed one fails the `up`); `start` only starts it, `rebalanceStatus` says `in progress`, and a refresh shows it completed. Either way a run not finished is never recorded as done.",
    topology: "The cluster's nodes and devices, filled in by the SDK from the GlusterCluster.",
    bricks: "The planned bricks. Computed by the provider during preview; existing bricks never move.",
    [CREDENTIALS]: CREDENTIALS_DOC,
    volumeId: "Gluster's volume id.",
    mountSource: "`host:/volume` to mount.",
    backupVolfileServers: "Other servers a client can fetch the volume file from.",
    mountOptions: "Recommended FUSE mount options, including backup volfile servers.",
    status: "Gluster's status of the volume, e.g. `Started`.",
    health:
      "Read by refresh: bricks online of total, offline bricks, entries pending heal and in split-brain, and a summary state.",
    rebalanceStatus:
      "The volume's rebalance: `not-needed` (one set), `completed` (the last run covered every brick), `in progress`, `pending` (bricks added, no run has covered them), `failed`, `stopped`, or `unknown` (a volume whose rebalance history this provider does not track, or a status that could not be read).",
  },

  precheck(olds, news) {
    // A rename is refused even while other values are unknown: Gluster cannot rename a volume.
    if (
      typeof olds.name === "string" &&
      typeof news.name === "string" &&
      !containsUnknown(news.name) &&
      olds.name !== news.name
    )
      return fail("name", renameRefusal(olds.name, news.name));
    return undefined;
  },

  preview(news) {
    // Nodes or devices are not known yet: plan nothing from guesses; `up` plans for real.
    const { bricks: _b, ...rest } = news;
    return rest;
  },

  async check(deps, { olds, news, inputs }) {
    const previous = olds.name !== undefined ? parse({ ...olds, size: olds.size ?? inputs.size }) : undefined;
    if (previous && previous.name !== inputs.name)
      return fail("name", renameRefusal(previous.name, inputs.name));
    // A resource keeps the owner it was made with, so renaming a stack never disowns its volumes.
    const v: VolumeInputs = { ...inputs, owner: previous?.owner ?? inputs.owner };
    if (v.owner === undefined)
      return fail(
        "owner",
        "owner: missing: the Volume's owner (project/stack/resource) marks what it makes; the SDK's Volume sets it, " +
          "set it when calling the provider directly",
      );
    const rival = deps.memory.claimVolumeName(v.cluster.clusterId, v.name, v.owner);
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
    const survey = await surveyVolume(deps, v);
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
      bricks = planFrom(deps, v, survey, fixed);
    } catch (err) {
      if (err instanceof PlacementRefused) return fail("size", `size: ${err.message}`);
      throw err;
    }
    deps.memory.reserve(reservationKey(v), reservationOf(bricks, fixed));
    deps.memory.noteLeftovers(
      reservationKey(v),
      leftovers(survey, bricks, previous?.bricks ?? []).length > 0,
    );
    return { inputs: { ...news, ...v, bricks } };
  },

  async diff(deps, olds, news) {
    if (olds.name !== news.name)
      // check refuses a rename; never turn one into a replacement, which would delete the data.
      throw new Error(renameRefusal(String(olds.name), String(news.name)));
    const relevant = ["size", "bricks", "options", "gid", "snapshotFactor", "durability", "owner"];
    const changed = relevant.some((k) => !sameValue(olds[k], news[k]));
    // Left undefined, the engine diffs old and new inputs itself and shows each brick added.
    if (changed) return {};
    // check found bricks a cut operation left that the plan does not use: `up` removes them.
    const v = volumeInputsSchema.safeParse(news);
    if (v.success && deps.memory.hasLeftovers(reservationKey(v.data))) return { changes: true };
    // Refresh found the volume stopped outside Pulumi: `up` starts it again.
    if (typeof olds.status === "string" && olds.status !== "" && olds.status !== "Started")
      return { changes: true };
    // A rebalance not done (a run failed or stopped, bricks never covered, or one `up` must
    // wait for): `up` starts it again or waits for it. One running while `up` need not wait is left.
    const unfinished = [
      "pending",
      "failed",
      "stopped",
      ...(v.success && waitsFor(v.data) ? ["in progress"] : []),
    ];
    if (typeof olds.rebalanceStatus === "string" && unfinished.includes(olds.rebalanceStatus))
      return { changes: true };
    return { changes: false };
  },

  async create(deps, raw) {
    const v = parse(raw);
    if (v.owner === undefined) throw new Error(`volume ${v.name}: owner missing; nothing was changed`);
    // Re-check right before making anything; an unreadable node or glusterd fails closed.
    const survey = await surveyVolume(deps, v);
    const taken = nameTakenReason(v, survey);
    if (taken) throw new Error(`volume.create: ${taken}. Nothing was changed.`);
    const bricks = v.bricks ?? planFrom(deps, v, survey, fixedBricks(survey, []));
    const made = { ...v, bricks };
    try {
      const stale = leftovers(survey, bricks);
      if (stale.length > 0) await ops.destroyOwned(deps, made, stale);
      await ops.createBricks(deps, made, bricks);
      await ops.createVolume(deps, made, bricks);
    } catch (err) {
      await ops.cleanupFailedCreate(deps, made, err);
      throw err;
    }
    deps.memory.release(reservationKey(v));
    const outs = await ops.volumeOutputs(deps, made);
    // A new volume is balanced: its mark says so (nothing to spread with one set).
    const rebalanceStatus = new Set(bricks.map((b) => b.set)).size > 1 ? "completed" : "not-needed";
    return { id: v.name, outs: { ...raw, bricks, ...outs, rebalanceStatus } };
  },

  async read(deps, id, state) {
    const v = parse(state);
    const survey = await surveyVolume(deps, v, true, true);
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
    const health = await healthOf(deps, v, survey);
    const rebalanceStatus = await ops.rebalanceState(deps, v, live);
    const outs = {
      ...state,
      options,
      bricks,
      volumeId: live.id,
      status: live.status,
      health,
      rebalanceStatus,
    };
    const inputs = Object.fromEntries(Object.entries(outs).filter(([k]) => !outputKeys.includes(k)));
    return { id, props: outs, inputs };
  },

  async update(deps, _id, olds, news) {
    const before = parse(olds);
    const after = parse(news);
    const survey = await surveyVolume(deps, after);
    const other = markedForAnother(after, survey);
    if (other) throw new Error(`volume ${after.name} now belongs to ${other}; nothing was changed`);
    if (!survey.live)
      throw new Error(
        `volume ${after.name} does not exist on the cluster: run \`pulumi refresh\`; nothing was changed`,
      );
    const fixed = fixedBricks(survey, before.bricks ?? []);
    const bricks = after.bricks ?? planFrom(deps, after, survey, fixed);
    const next = { ...after, bricks };
    // Bricks a cut operation made that this plan does not use go first (they free the space).
    const stale = leftovers(survey, bricks, before.bricks ?? []);
    if (stale.length > 0) await ops.destroyOwned(deps, next, stale);
    const fixedById = new Map(fixed.map((b) => [b.id, b]));
    const added = bricks.filter((b) => !fixedById.has(b.id));
    const grown = bricks.filter((b) => (fixedById.get(b.id)?.size ?? b.size) < b.size);
    if (grown.length > 0) await ops.growBricks(deps, next, grown);
    if (added.length > 0) await ops.createBricks(deps, next, added);
    // Started first: Gluster rebalances only a started volume (one stopped outside Pulumi, or
    // whose start was cut, would otherwise fail a pending rebalance).
    await ops.ensureStarted(deps, next);
    const rebalanced =
      bricks.length > survey.live.brickCount
        ? await ops.expandVolume(deps, next, added)
        : await ops.rebalanceIfPending(deps, next, survey.live);
    // Nothing ran: what the marks say (a volume not made here has none: `unknown`).
    const rebalanceStatus = rebalanced ?? rebalanceStateFromMarks(survey.live);
    await ops.claimOwnership(deps, next, survey.live);
    await ops.updateOptions(deps, next, before.options, after.options);
    deps.memory.release(reservationKey(after));
    const outs = await ops.volumeOutputs(deps, next);
    return { outs: { ...news, bricks, ...outs, rebalanceStatus } };
  },

  async delete(deps, _id, state) {
    await ops.deleteVolume(deps, parse(state));
  },
});

/** Whether `up` waits for this volume's rebalance (the `rebalance` input, default `wait`). */
function waitsFor(v: VolumeInputs): boolean {
  return (v.rebalance ?? DEFAULTS.rebalance) === "wait";
}

/** The rebalance state from the volume's marks alone (no status read). */
function rebalanceStateFromMarks(live: Parameters<typeof node.rebalanceStateOf>[0]): RebalanceState {
  return node.rebalanceStateOf(live, undefined);
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
