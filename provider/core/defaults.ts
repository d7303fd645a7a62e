// Every default of the model, in one place: the resource schemas (model.ts), the planner's request
// (placement/request.ts), the node builders and the SDK read them from here. Heketi's documented
// limits are kept where they were sound (1 GiB, 4 TiB, 32 bricks, 64 KiB average file); its unsafe
// ones are fixed (zone checking is strict).
import { DEFAULT_DURABILITY_TYPE, DISPERSE_DEFAULTS, REPLICATE_DEFAULTS } from "./durability";
import { GiB, KiB, TiB } from "./units";

export const ZONE_CHECKING_MODES = ["strict", "prefer", "none"] as const;
export type ZoneChecking = (typeof ZONE_CHECKING_MODES)[number];
export const EXPAND_MODES = ["add-sets", "grow"] as const;
export type ExpandMode = (typeof EXPAND_MODES)[number];
/** Whether `up` waits for the rebalance an expansion starts (`wait`) or only starts it (`start`). */
export const REBALANCE_MODES = ["wait", "start"] as const;
export type RebalanceMode = (typeof REBALANCE_MODES)[number];
/**
 * What refresh reports of a volume's rebalance: `not-needed` (one set: nothing to spread),
 * `completed` (the last run covered every brick), `in progress`, `pending` (bricks were added and
 * no run has covered them yet), `failed`, `stopped`, or `unknown` (a volume this provider did
 * not make, whose rebalance history it does not track).
 */
export const REBALANCE_STATES = [
  "not-needed",
  "completed",
  "in progress",
  "pending",
  "failed",
  "stopped",
  "unknown",
] as const;
export type RebalanceState = (typeof REBALANCE_STATES)[number];

/** Where brick filesystems are mounted: <brickRoot>/<volume>/s<set>b<index>. */
export const DEFAULT_BRICK_ROOT = "/var/lib/glusterfs-bricks";

export const DEFAULTS = {
  durabilityType: DEFAULT_DURABILITY_TYPE,
  replica: REPLICATE_DEFAULTS.replica,
  disperseData: DISPERSE_DEFAULTS.data,
  disperseRedundancy: DISPERSE_DEFAULTS.redundancy,
  zoneChecking: "strict" as ZoneChecking,
  expandMode: "add-sets" as ExpandMode,
  /**
   * `up` waits for the rebalance to finish: what it reports is then final (a failed rebalance
   * fails the `up` that started it) and the next change never meets a run still going.
   */
  rebalance: "wait" as RebalanceMode,
  brickRoot: DEFAULT_BRICK_ROOT,
  /** A node's failure domain when none is given (Heketi's topology.json starts zones at 1). */
  zone: 1,
  /** A device with partitions, signatures or a filesystem is refused unless the program opts in. */
  wipe: false,
  snapshotFactor: 1,
  averageFileSize: 64 * KiB,
  minBrickSize: 1 * GiB,
  maxBrickSize: 4 * TiB,
  maxBricks: 32,
} as const;

/** The durability a Volume gets when it names none (what the SDK writes into the inputs). */
export const DEFAULT_DURABILITY_INPUT = { type: DEFAULT_DURABILITY_TYPE, replica: DEFAULTS.replica } as const;
