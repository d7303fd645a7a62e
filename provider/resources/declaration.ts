// What one resource declares, once: its type token, the schemas of its inputs and outputs, which
// inputs replace it and which are secret, what each property means, and its life cycle as plain
// functions of (deps, inputs, state). provider/resources/runtime.ts turns a declaration into what
// the engine calls; schema.json, the dynamic adapters and the SDK's providers come from the list
// in registry.ts.
import type { z } from "zod";
import type { Deps } from "./deps";
import type { CheckResult, DiffResult, Inputs } from "./handler";
import type { ResourceKind } from "./kinds";

export interface Declaration<T = unknown> {
  kind: ResourceKind;
  /** What the resource is, for schema.json. */
  description: string;
  /** The inputs as check validates them (defaults applied, cross-field rules included). */
  inputs: z.ZodType<T> & { shape: Record<string, z.ZodType> };
  /** Properties the resource adds to its inputs in state. */
  outputs: z.ZodObject;
  /** Inputs whose change replaces the resource (its identity on the nodes). */
  replaceOnChanges: readonly string[];
  /** Delete the old resource before making its replacement (it holds a name or a disk). */
  deleteBeforeReplace: boolean;
  /** Inputs stored as Pulumi secrets (besides the connection's secret fields). */
  secretInputs: readonly string[];
  /** One sentence per input and output property, for schema.json. */
  docs: Record<string, string>;

  /**
   * Checks made before validation, whatever is unknown (a rename of a volume, say); a result
   * ends the check.
   */
  precheck?(olds: Inputs, news: Inputs): CheckResult | undefined;
  /**
   * The checked inputs while some value is not known yet (preview): nothing here may reach a
   * node. `parsed` is the validated inputs when every field passed (unknowns are strings too).
   * Default: the inputs with the defaults filled in where they parsed.
   */
  preview?(news: Inputs, parsed: T | undefined): Inputs;
  /** Known, valid inputs: checks that need the process (claims) or the nodes, and planning. */
  check?(deps: Deps, args: { olds: Inputs; news: Inputs; inputs: T }): Promise<CheckResult>;
  /** Whether a change needs an update; replacements are decided from `replaceOnChanges` first. */
  diff(deps: Deps, olds: Inputs, news: Inputs): Promise<DiffResult>;
  create(deps: Deps, inputs: Inputs): Promise<{ id: string; outs: Inputs }>;
  read(deps: Deps, id: string, state: Inputs): Promise<{ id?: string; props?: Inputs; inputs?: Inputs }>;
  update(deps: Deps, id: string, olds: Inputs, news: Inputs): Promise<{ outs: Inputs }>;
  delete(deps: Deps, id: string, state: Inputs): Promise<void>;
}

/** Declares a resource (a function, so each file's object is checked against the contract). */
export function declare<T>(d: Declaration<T>): Declaration<T> {
  return d;
}
