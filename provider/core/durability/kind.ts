// What one durability type owns, in the shape of glusterd2's bricksplanner subvolume types: each
// type is one file implementing this interface, and provider/core/durability/index.ts lists them.
// Everything else (the resource model, the planner, the plan JSON, the node's Gluster command
// line, capacity) asks the registry, so a new type is one file plus one registry entry.
import type { z } from "zod";
import type { BrickRole } from "../names";

/** One field of a durability type: its name in the resource's inputs and in the resolved form. */
export interface DurabilityField {
  /** The name in the Volume resource's `durability` input (and the SDK, schema.json, state). */
  input: string;
  /** The name in the resolved form (the planner's request, the plan JSON `plan` prints). */
  resolved: string;
  /** The input's type (zod, optional in the model); values are validated by `resolve`. */
  schema: z.ZodType;
}

export interface DurabilityKind<D extends { type: string }> {
  readonly type: D["type"];
  /** The fields this type takes besides `type`; any other type's field is refused for it. */
  readonly fields: readonly DurabilityField[];
  /**
   * The resolved form from raw resolved-name fields: defaults filled in, every rule checked.
   * Throws a ValidationError naming `durability.<resolved field>`.
   */
  resolve(raw: Readonly<Record<string, unknown>>): D;
  /** The same durability read back from a plan file (lenient: fills defaults, no refusal). */
  schema: z.ZodType;
  /** Bricks in one set. */
  setSize(d: D): number;
  /** Usable bytes of one set = the smallest data brick x this. */
  dataMultiplier(d: D): number;
  /** Roles of one set's bricks in Gluster's brick order (an arbiter is last). */
  roles(d: D): BrickRole[];
  /** Positions of a set in the order they are placed: the most constrained first. */
  order(d: D): number[];
  /** "replicate 3", "replicate 3 with arbiter", "disperse 4+2", "distribute". */
  label(d: D): string;
  /** The words after `gluster volume create NAME` that give the set layout. */
  createWords(d: D): string[];
  /** The words `gluster volume add-brick NAME` needs before the new bricks (most types: none). */
  addBrickWords(d: D): string[];
  recommendations(d: D): string[];
  warnings(d: D): string[];
}

/**
 * A kind with its resolved type erased, for the registry's list (the methods are bivariant, so
 * every DurabilityKind<D> is one; the registry hands each durability only to its own kind).
 */
export type AnyDurabilityKind = DurabilityKind<{ type: string }>;
