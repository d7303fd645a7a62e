// Distribute: one brick per set, no redundancy.
import type { Strategy } from "./types";

export function distribute(): Strategy {
  return {
    durability: { type: "distribute" },
    label: "distribute",
    roles: ["data"],
    order: [0],
    dataMultiplier: 1,
    recommendations: [],
    warnings: ["distribute keeps one copy of every file: losing a brick loses its files"],
  };
}
