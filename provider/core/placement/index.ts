// The placement planner: pure and deterministic. Other modules import from here.
export { planVolume, volumeCapacity, setCapacity } from "./plan";
export { resolveVolumeRequest, parseTagRule, setSizeOf, DEFAULTS, type VolumeRequestInput } from "./request";
export { strategyFor } from "./strategy";
export { parsePlannedVolume } from "./types";
export type {
  BrickRole,
  ClusterFailure,
  DeviceChange,
  Durability,
  ExpandMode,
  PlanFailureDetails,
  PlannedBrick,
  PlannedSet,
  PlannedVolume,
  PlanResult,
  Strategy,
  TagRule,
  VolumeRequest,
  ZoneChecking,
  ZoneReport,
} from "./types";
