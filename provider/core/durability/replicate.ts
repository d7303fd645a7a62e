// Replicate: every data brick of a set holds a full copy. With `arbiter`, a set of three is two
// data bricks and a small third brick holding only metadata (4 KiB per expected file, sized in
// provider/core/sizing.ts): Gluster's last brick of the set, and placed first, because devices
// tagged arbiter=required are the scarcest.
//
// Replica counts: 2 or 3 only. Gluster's CLI takes any count from 2, but what it supports and
// tests is 2 and 3: client quorum (`cluster.quorum-type auto`) is built for an odd count, replica 2
// cannot prevent split-brain, arbiter exists only as `replica 3 arbiter 1`, and every extra copy
// multiplies raw space without a failure domain our zone checking can promise. Heketi and glusterd2
// stop at 3 too. The node's command builder used to accept 2..16; nothing upstream could produce
// more than 3, so one rule (this one) now holds for `check`, the planner and the command line.
import { z } from "zod";
import { ValidationError } from "../errors";
import type { DurabilityKind } from "./kind";

export type ReplicateDurability = {
  type: "replicate";
  replica: number;
  arbiter: boolean;
};

export const REPLICATE_DEFAULTS = { replica: 3, arbiter: false } as const;

export const replicate = {
  type: "replicate",
  fields: [
    { input: "replica", resolved: "replica", schema: z.number().int() },
    { input: "arbiter", resolved: "arbiter", schema: z.boolean() },
  ] as const,
  schema: z.object({
    type: z.literal("replicate"),
    replica: z.number().int().optional(),
    arbiter: z.boolean().optional(),
  }),
  resolve(raw): ReplicateDurability {
    const replica = raw.replica ?? REPLICATE_DEFAULTS.replica;
    if (replica !== 2 && replica !== 3) throw new ValidationError("durability.replica", replica, "2 or 3");
    const arbiter = raw.arbiter ?? REPLICATE_DEFAULTS.arbiter;
    if (typeof arbiter !== "boolean")
      throw new ValidationError("durability.arbiter", arbiter, "true or false");
    if (arbiter && replica !== 3)
      throw new ValidationError(
        "durability.arbiter",
        arbiter,
        "an arbiter only with replica 3 (two data bricks and one arbiter)",
      );
    return { type: "replicate", replica, arbiter };
  },
  setSize: (d) => d.replica,
  dataMultiplier: () => 1,
  roles: (d) =>
    d.arbiter ? ["data", "data", "arbiter"] : Array.from({ length: d.replica }, () => "data" as const),
  order: (d) => (d.arbiter ? [2, 0, 1] : Array.from({ length: d.replica }, (_, i) => i)),
  label: (d) => (d.arbiter ? "replicate 3 with arbiter" : `replicate ${d.replica}`),
  createWords: (d) => (d.arbiter ? ["replica", "3", "arbiter", "1"] : ["replica", String(d.replica)]),
  // add-brick on an arbiter volume needs the layout again, or glusterd takes the bricks as plain replicas.
  addBrickWords: (d) => (d.arbiter ? ["replica", "3", "arbiter", "1"] : []),
  recommendations: () => [],
  warnings: (d) =>
    d.replica === 2 && !d.arbiter
      ? ["replica 2 cannot prevent split-brain; use replica 3 or replica 3 with an arbiter"]
      : [],
} satisfies DurabilityKind<ReplicateDurability>;
