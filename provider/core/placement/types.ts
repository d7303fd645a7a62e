// The planner's request and result shapes. PlannedVolume is exactly the JSON `plan` prints, and
// what `--existing` reads back, so it has a zod schema as well as a type.
import { z } from "zod";
import type { ExpandMode, ZoneChecking } from "../defaults";
import { type Durability, plannedDurabilitySchema } from "../durability";
import { ValidationError } from "../errors";
import type { BrickRole } from "../names";

export type { BrickRole, Durability, ExpandMode, ZoneChecking };

export interface TagRule {
  key: string;
  value: string;
  /** true: the device's tag must differ from value (a missing tag passes). */
  negate: boolean;
}

export interface VolumeRequest {
  /** Total usable size of the volume in bytes. */
  size: number;
  durability: Durability;
  zoneChecking: ZoneChecking;
  snapshotFactor: number;
  averageFileSize: number;
  tagMatch: TagRule[];
  minBrickSize: number;
  maxBrickSize: number;
  maxBricks: number;
  cluster?: string;
  expandMode: ExpandMode;
}

const brickSchema = z.object({
  node: z.string().min(1),
  storage: z.string().min(1),
  zone: z.number().int(),
  device: z.string().min(1),
  size: z.number().int().positive(),
  poolSize: z.number().int().positive(),
  metadataSize: z.number().int().positive(),
  role: z.enum(["data", "arbiter"]),
});

const plannedVolumeSchema = z.object({
  cluster: z.string(),
  durability: plannedDurabilitySchema,
  size: z.number().int().nonnegative().optional(),
  capacity: z.number().int().nonnegative().optional(),
  sets: z.array(z.object({ bricks: z.array(brickSchema).min(1) })),
  devices: z
    .array(
      z.object({
        node: z.string(),
        device: z.string(),
        freeBefore: z.number(),
        freeAfter: z.number(),
      }),
    )
    .default([]),
  recommendations: z.array(z.string()).optional(),
  warnings: z.array(z.string()).optional(),
  explanation: z.array(z.string()).optional(),
});

export type PlannedBrick = z.infer<typeof brickSchema>;
export interface PlannedSet {
  bricks: PlannedBrick[];
}
export interface DeviceChange {
  node: string;
  device: string;
  freeBefore: number;
  freeAfter: number;
}

export interface PlannedVolume {
  cluster: string;
  durability: Durability;
  /** The requested total size in bytes. */
  size?: number;
  /** Usable bytes the planned sets give (>= size). */
  capacity?: number;
  sets: PlannedSet[];
  /** Devices whose free space this plan changes. */
  devices: DeviceChange[];
  recommendations?: string[];
  warnings?: string[];
  /** Why these sets and sizes: one line per choice the planner made. */
  explanation?: string[];
}

/** Free space of one zone as the planner saw it, for failure reports. */
export interface ZoneReport {
  zone: number;
  free: number;
  largestDeviceFree: number;
  nodes: Array<{ node: string; free: number; largestDeviceFree: number }>;
}

export interface ClusterFailure {
  cluster: string;
  reason: string;
  /** The most lenient layout tried: sets x bricks of brickSize, each taking brickNeeds bytes. */
  layout?: {
    sets: number;
    bricksPerSet: number;
    brickSize: number;
    brickNeeds: number;
    arbiterSize?: number;
  };
  zones: ZoneReport[];
}

export interface PlanFailureDetails {
  request: { size: number; durability: Durability; zoneChecking: ZoneChecking; snapshotFactor: number };
  clusters: ClusterFailure[];
}

export type PlanResult =
  { ok: true; plan: PlannedVolume } | { ok: false; error: string; details: PlanFailureDetails };

/** Validates a plan printed earlier (the `--existing` input). */
export function parsePlannedVolume(json: unknown, field = "existing"): PlannedVolume {
  const parsed = plannedVolumeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
    let value: unknown = json;
    for (const p of issue.path)
      value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[p] : undefined;
    throw new ValidationError(
      `${field}${path}`,
      value,
      `a plan printed by 'pulumi-glusterfs plan' (${issue.message})`,
    );
  }
  return parsed.data as PlannedVolume;
}

/** What differs between durability types; one small file per type implements it. */
export interface Strategy {
  durability: Durability;
  /** "replicate 3", "replicate 3 with arbiter", "disperse 4+2", "distribute". */
  label: string;
  /** Roles of one set's bricks, in Gluster's brick order (an arbiter is last). */
  roles: BrickRole[];
  /** Positions in the order they are placed: the most constrained first. */
  order: number[];
  /** Usable bytes of a set = data brick size x this. */
  dataMultiplier: number;
  recommendations: string[];
  warnings: string[];
}
