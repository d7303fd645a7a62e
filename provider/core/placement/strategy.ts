// The planner's view of a durability, read from its kind in provider/core/durability.
import { durabilityKind, type Durability } from "../durability";
import type { Strategy } from "./types";

export function strategyFor(d: Durability): Strategy {
  const kind = durabilityKind(d);
  return {
    durability: d,
    label: kind.label(d),
    roles: kind.roles(d),
    order: kind.order(d),
    dataMultiplier: kind.dataMultiplier(d),
    recommendations: kind.recommendations(d),
    warnings: kind.warnings(d),
  };
}
