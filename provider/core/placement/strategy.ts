// Picks the strategy for a validated durability.
import { arbiter } from "./arbiter";
import { disperse } from "./disperse";
import { distribute } from "./distribute";
import { replicate } from "./replicate";
import type { Durability, Strategy } from "./types";

export function strategyFor(d: Durability): Strategy {
  switch (d.type) {
    case "distribute":
      return distribute();
    case "disperse":
      return disperse(d.data ?? 4, d.redundancy ?? 2);
    case "replicate":
      return d.arbiter ? arbiter() : replicate(d.replica ?? 3);
  }
}
