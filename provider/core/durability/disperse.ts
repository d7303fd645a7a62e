// Disperse D+R (erasure coding): a set of D+R equal bricks holds D bricks' worth of data and
// survives the loss of any R. Gluster requires 2R < D+R and calls layouts with a power-of-two D
// optimal (each write fills whole stripes).
import { z } from "zod";
import { ValidationError } from "../errors";
import type { DurabilityKind } from "./kind";

export type DisperseDurability = {
  type: "disperse";
  data: number;
  redundancy: number;
};

export const DISPERSE_DEFAULTS = { data: 4, redundancy: 2 } as const;
const OPTIMAL = ["4+2", "8+2", "8+4", "16+4"];

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw new ValidationError(field, value, `an integer from ${min} to ${max}`);
  return value;
}

export const disperse = {
  type: "disperse",
  fields: [
    { input: "disperseData", resolved: "data", schema: z.number().int() },
    { input: "disperseRedundancy", resolved: "redundancy", schema: z.number().int() },
  ] as const,
  schema: z.object({
    type: z.literal("disperse"),
    data: z.number().int().optional(),
    redundancy: z.number().int().optional(),
  }),
  resolve(raw): DisperseDurability {
    const data = integer(raw.data ?? DISPERSE_DEFAULTS.data, "durability.data", 2, 30);
    const redundancy = integer(
      raw.redundancy ?? DISPERSE_DEFAULTS.redundancy,
      "durability.redundancy",
      1,
      30,
    );
    if (2 * redundancy >= data + redundancy)
      throw new ValidationError(
        "durability.redundancy",
        redundancy,
        `a redundancy R with 2R < D+R, i.e. fewer than ${data} for ${data} data bricks`,
        `disperse ${data}+${redundancy}`,
      );
    return { type: "disperse", data, redundancy };
  },
  setSize: (d) => d.data + d.redundancy,
  dataMultiplier: (d) => d.data,
  roles: (d) => Array.from({ length: d.data + d.redundancy }, () => "data" as const),
  order: (d) => Array.from({ length: d.data + d.redundancy }, (_, i) => i),
  label: (d) => `disperse ${d.data}+${d.redundancy}`,
  // Gluster's words count the whole set: `disperse-data D redundancy R` would say the same.
  createWords: (d) => ["disperse", String(d.data + d.redundancy), "redundancy", String(d.redundancy)],
  addBrickWords: () => [],
  recommendations: (d) =>
    (d.data & (d.data - 1)) === 0
      ? []
      : [
          `disperse ${d.data}+${d.redundancy}: a power-of-two data count is recommended (${OPTIMAL.join(", ")}), so each write fills whole stripes`,
        ],
  warnings: () => [],
} satisfies DurabilityKind<DisperseDurability>;
