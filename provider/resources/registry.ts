// Every resource of the package, each declared once in its own file. The dynamic adapters, the
// SDK's provider objects (by kind) and schema.json are made from this list.
import { cluster } from "./cluster";
import { clusterOptions } from "./cluster-options";
import type { Declaration } from "./declaration";
import type { Deps } from "./deps";
import { device } from "./device";
import type { Handler } from "./handler";
import type { ResourceKind } from "./kinds";
import { node } from "./node";
import { handlerOf } from "./runtime";
import { volume } from "./volume";

/** A declaration of any input type (each file's own is checked by `declare`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDeclaration = Declaration<any>;

export const registry: { readonly [K in ResourceKind]: AnyDeclaration } = {
  cluster,
  node,
  device,
  volume,
  clusterOptions,
};

/** The engine-facing handler of every resource, all bound to one process's deps. */
export function handlersFor(deps: Deps): Record<ResourceKind, Handler> {
  return Object.fromEntries(
    Object.entries(registry).map(([kind, decl]) => [kind, handlerOf(decl, deps)]),
  ) as Record<ResourceKind, Handler>;
}
