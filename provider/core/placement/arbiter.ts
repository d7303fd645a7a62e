// Replica 3 with an arbiter: two data bricks and a small third brick holding only metadata
// (4 KiB per expected file). The arbiter is Gluster's last brick of the set, and placed first,
// because devices tagged arbiter=required are the scarcest.
import type { Strategy } from "./types";

export function arbiter(): Strategy {
  return {
    durability: { type: "replicate", replica: 3, arbiter: true },
    label: "replicate 3 with arbiter",
    roles: ["data", "data", "arbiter"],
    order: [2, 0, 1],
    dataMultiplier: 1,
    recommendations: [],
    warnings: [],
  };
}
