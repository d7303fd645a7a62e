// Distribute: one brick per set, no redundancy.
import { z } from "zod";
import type { DurabilityKind } from "./kind";

export type DistributeDurability = {
  type: "distribute";
};

export const distribute = {
  type: "distribute",
  fields: [] as const,
  schema: z.object({ type: z.literal("distribute") }),
  resolve: (): DistributeDurability => ({ type: "distribute" }),
  setSize: () => 1,
  dataMultiplier: () => 1,
  roles: () => ["data"],
  order: () => [0],
  label: () => "distribute",
  createWords: () => [],
  addBrickWords: () => [],
  recommendations: () => [],
  warnings: () => ["distribute keeps one copy of every file: losing a brick loses its files"],
} satisfies DurabilityKind<DistributeDurability>;
