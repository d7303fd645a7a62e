// Disperse D+R (erasure coding): a set of D+R equal bricks holds D bricks' worth of data and
// survives the loss of any R. Gluster calls layouts with a power-of-two D optimal.
import type { Strategy } from "./types";

const OPTIMAL = ["4+2", "8+2", "8+4", "16+4"];

export function disperse(data: number, redundancy: number): Strategy {
  const roles = Array.from({ length: data + redundancy }, () => "data" as const);
  const layout = `${data}+${redundancy}`;
  const powerOfTwo = (data & (data - 1)) === 0;
  const recommendations = powerOfTwo
    ? []
    : [
        `disperse ${layout}: a power-of-two data count is recommended (${OPTIMAL.join(", ")}), so each write fills whole stripes`,
      ];
  return {
    durability: { type: "disperse", data, redundancy },
    label: `disperse ${layout}`,
    roles,
    order: roles.map((_, i) => i),
    dataMultiplier: data,
    recommendations,
    warnings: [],
  };
}
