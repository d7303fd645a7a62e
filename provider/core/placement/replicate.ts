// Replicate 2 or 3: every brick of a set holds a full copy.
import type { Strategy } from "./types";

export function replicate(replica: number): Strategy {
  const roles = Array.from({ length: replica }, () => "data" as const);
  return {
    durability: { type: "replicate", replica, arbiter: false },
    label: `replicate ${replica}`,
    roles,
    order: roles.map((_, i) => i),
    dataMultiplier: 1,
    recommendations: [],
    warnings:
      replica === 2
        ? ["replica 2 cannot prevent split-brain; use replica 3 or replica 3 with an arbiter"]
        : [],
  };
}
