// The durability registry: the one list of types. Adding a type is one file beside this one
// (implementing DurabilityKind) and one entry in KINDS; the resource model's input schema, the
// planner's strategy, the plan JSON, capacity and the Gluster command line all come from here.
import { z } from "zod";
import { ValidationError } from "../errors";
import { disperse } from "./disperse";
import { distribute } from "./distribute";
import type { AnyDurabilityKind, DurabilityField, DurabilityKind } from "./kind";
import { replicate } from "./replicate";

export type { DurabilityField, DurabilityKind } from "./kind";
export { REPLICATE_DEFAULTS, type ReplicateDurability } from "./replicate";
export { DISPERSE_DEFAULTS, type DisperseDurability } from "./disperse";
export type { DistributeDurability } from "./distribute";

/** Every durability type, the default first. */
const KINDS = [replicate, disperse, distribute] as const;

type Resolved<K> = K extends { resolve: (raw: never) => infer D } ? D : never;
type FieldOf<K> = K extends { fields: readonly (infer F)[] } ? F : never;
type InputField = FieldOf<(typeof KINDS)[number]>;
/** A validated durability, with every default filled in: the one shape past `resolveDurability`. */
export type Durability = Resolved<(typeof KINDS)[number]>;
export type DurabilityType = Durability["type"];

export const DURABILITY_TYPES = KINDS.map((k) => k.type) as [DurabilityType, ...DurabilityType[]];
export const DEFAULT_DURABILITY_TYPE: DurabilityType = KINDS[0].type;

/** What a user or a plan file gives: a type (default replicate) and resolved-name fields. */
export type DurabilityInput = { type?: string } & Readonly<Record<string, unknown>>;

function kindOf(type: string): AnyDurabilityKind | undefined {
  return (KINDS as readonly AnyDurabilityKind[]).find((k) => k.type === type);
}

/** The kind that owns a resolved durability. */
export function durabilityKind<D extends Durability>(d: D): DurabilityKind<D> {
  return kindOf(d.type) as unknown as DurabilityKind<D>;
}

/** Fills defaults and validates; a field of another type is refused. Throws ValidationError. */
export function resolveDurability(input: DurabilityInput | undefined): Durability {
  const type = input?.type ?? DEFAULT_DURABILITY_TYPE;
  const kind = kindOf(type);
  if (!kind) throw new ValidationError("durability.type", type, DURABILITY_TYPES.join(", "));
  const own = new Set(kind.fields.map((f) => f.resolved));
  for (const f of KINDS.flatMap((k) => k.fields as readonly DurabilityField[]))
    if (!own.has(f.resolved) && input?.[f.resolved] !== undefined)
      throw new ValidationError(
        `durability.${f.resolved}`,
        input[f.resolved],
        `nothing: ${f.resolved} does not apply to ${type} volumes`,
      );
  return kind.resolve(input ?? {}) as Durability;
}

/**
 * The resource's `durability` input (zod): `type` plus every type's fields by their input names,
 * all optional here; `resolveDurability` (through `fromDurabilityInputs`) applies the rules.
 */
export const durabilityInputsSchema = z
  .object({
    type: z.enum(DURABILITY_TYPES).default(DEFAULT_DURABILITY_TYPE),
    ...(Object.fromEntries(
      KINDS.flatMap((k) => k.fields as readonly DurabilityField[]).map((f) => [f.input, f.schema.optional()]),
    ) as { [F in InputField as F["input"]]: z.ZodOptional<F["schema"]> }),
  })
  .default({ type: DEFAULT_DURABILITY_TYPE });

/** The resource input's field names turned into the resolved names (disperseData -> data). */
export function fromDurabilityInputs(input: { type?: string } & Record<string, unknown>): DurabilityInput {
  const out: Record<string, unknown> = { type: input.type };
  for (const f of KINDS.flatMap((k) => k.fields as readonly DurabilityField[]))
    if (input[f.input] !== undefined) out[f.resolved] = input[f.input];
  return out;
}

/** The input field name of a resolved field ("data" -> "disperseData"), for error messages. */
export function durabilityInputName(resolved: string): string {
  const f = KINDS.flatMap((k) => k.fields as readonly DurabilityField[]).find((x) => x.resolved === resolved);
  return f?.input ?? resolved;
}

/** A durability read back from a plan file: each type's lenient schema, then defaults filled in. */
export const plannedDurabilitySchema = z
  .discriminatedUnion(
    "type",
    KINDS.map((k) => k.schema) as unknown as [
      z.ZodObject<{ type: z.ZodLiteral<string> }>,
      ...z.ZodObject<{ type: z.ZodLiteral<string> }>[],
    ],
  )
  .transform((raw, ctx) => {
    try {
      return resolveDurability(raw as DurabilityInput);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  });

/** Bricks in one set. */
export function setSizeOf(d: Durability): number {
  return durabilityKind(d).setSize(d);
}

/** Usable bytes of one set whose data bricks have these sizes (the smallest decides). */
export function setCapacityOf(d: Durability, dataBrickSizes: readonly number[]): number {
  return dataBrickSizes.length === 0 ? 0 : Math.min(...dataBrickSizes) * durabilityKind(d).dataMultiplier(d);
}

/** The words of `gluster volume create` that give the layout. */
export function createWords(d: Durability): string[] {
  return durabilityKind(d).createWords(d);
}

/** The words `gluster volume add-brick` needs before the new bricks. */
export function addBrickWords(d: Durability): string[] {
  return durabilityKind(d).addBrickWords(d);
}
