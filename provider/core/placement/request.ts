// Filling in and validating a volume request. Defaults follow Heketi's documented limits where
// they were sound (1 GiB, 4 TiB, 32 bricks, 64 KiB average file) and fix its unsafe ones
// (zone checking is strict, arbiter needs replica 3, disperse must satisfy 2R < D+R).
import { ValidationError } from "../errors";
import { GiB, KiB, TiB, parseSize, formatSize } from "../units";
import { EXTENT, XFS_MIN_SIZE } from "../sizing";
import type { Durability, ExpandMode, TagRule, VolumeRequest, ZoneChecking } from "./types";

export const DEFAULTS = {
  replica: 3,
  disperseData: 4,
  disperseRedundancy: 2,
  zoneChecking: "strict" as ZoneChecking,
  snapshotFactor: 1,
  averageFileSize: 64 * KiB,
  minBrickSize: 1 * GiB,
  maxBrickSize: 4 * TiB,
  maxBricks: 32,
  expandMode: "add-sets" as ExpandMode,
};

export interface VolumeRequestInput {
  size: number | string;
  durability?: Partial<Durability>;
  zoneChecking?: string;
  snapshotFactor?: number;
  averageFileSize?: number | string;
  tagMatch?: Array<TagRule | string>;
  minBrickSize?: number | string;
  maxBrickSize?: number | string;
  maxBricks?: number;
  cluster?: string;
  expandMode?: string;
}

const TAG_KEY = /^[a-zA-Z0-9_.-]{1,32}$/;
const TAG_RULE_ALLOWED =
  "KEY=VALUE or KEY!=VALUE, KEY of 1-32 letters, digits, '_', '.', '-', VALUE up to 64 characters";

/** Parses Heketi's device-tag-match syntax: `key=value` or `key!=value`. */
export function parseTagRule(text: string, field = "tagMatch"): TagRule {
  const match = /^([^=!]+)(!?=)(.*)$/.exec(text);
  if (!match || !TAG_KEY.test(match[1]!) || match[3]!.length > 64) {
    throw new ValidationError(field, text, TAG_RULE_ALLOWED);
  }
  return { key: match[1]!, value: match[3]!, negate: match[2] === "!=" };
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  field: string,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(field, value, allowed.join(", "));
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function resolveDurability(input: Partial<Durability> | undefined): Durability {
  const type = oneOf(
    input?.type,
    ["replicate", "disperse", "distribute"] as const,
    "replicate",
    "durability.type",
  );
  const has = (k: keyof Durability) => input?.[k] !== undefined;
  const forbid = (keys: Array<keyof Durability>) => {
    for (const k of keys) {
      if (has(k))
        throw new ValidationError(
          `durability.${k}`,
          input?.[k],
          `nothing: ${k} does not apply to ${type} volumes`,
        );
    }
  };
  if (type === "distribute") {
    forbid(["replica", "arbiter", "data", "redundancy"]);
    return { type };
  }
  if (type === "replicate") {
    forbid(["data", "redundancy"]);
    const replica = input?.replica ?? DEFAULTS.replica;
    if (replica !== 2 && replica !== 3) throw new ValidationError("durability.replica", replica, "2 or 3");
    const arbiter = input?.arbiter ?? false;
    if (typeof arbiter !== "boolean")
      throw new ValidationError("durability.arbiter", arbiter, "true or false");
    if (arbiter && replica !== 3) {
      throw new ValidationError(
        "durability.arbiter",
        arbiter,
        "an arbiter only with replica 3 (two data bricks and one arbiter)",
      );
    }
    return { type, replica, arbiter };
  }
  forbid(["replica", "arbiter"]);
  const data = integer(input?.data ?? DEFAULTS.disperseData, "durability.data", 2, 30);
  const redundancy = integer(
    input?.redundancy ?? DEFAULTS.disperseRedundancy,
    "durability.redundancy",
    1,
    30,
  );
  if (2 * redundancy >= data + redundancy) {
    throw new ValidationError(
      "durability.redundancy",
      redundancy,
      `a redundancy R with 2R < D+R, i.e. fewer than ${data} for ${data} data bricks`,
      `disperse ${data}+${redundancy}`,
    );
  }
  return { type, data, redundancy };
}

/** Bricks in one set of this durability. */
export function setSizeOf(d: Durability): number {
  if (d.type === "distribute") return 1;
  if (d.type === "replicate") return d.replica ?? DEFAULTS.replica;
  return (d.data ?? DEFAULTS.disperseData) + (d.redundancy ?? DEFAULTS.disperseRedundancy);
}

/** Fills documented defaults into a partial request and validates it; throws ValidationError. */
export function resolveVolumeRequest(input: VolumeRequestInput): VolumeRequest {
  const size = parseSize(input.size, "size");
  if (size <= 0) throw new ValidationError("size", input.size, "a size greater than zero");
  const durability = resolveDurability(input.durability);
  const zoneChecking = oneOf(
    input.zoneChecking,
    ["strict", "prefer", "none"] as const,
    DEFAULTS.zoneChecking,
    "zoneChecking",
  );
  const snapshotFactor = input.snapshotFactor ?? DEFAULTS.snapshotFactor;
  if (
    typeof snapshotFactor !== "number" ||
    !Number.isFinite(snapshotFactor) ||
    snapshotFactor < 1 ||
    snapshotFactor > 100
  ) {
    throw new ValidationError(
      "snapshotFactor",
      snapshotFactor,
      "a number from 1 to 100 (thin pool size / brick size)",
    );
  }
  const averageFileSize =
    input.averageFileSize === undefined
      ? DEFAULTS.averageFileSize
      : parseSize(input.averageFileSize, "averageFileSize");
  if (averageFileSize < KiB)
    throw new ValidationError("averageFileSize", input.averageFileSize, "at least 1KiB");
  const tagMatch = (input.tagMatch ?? []).map((rule, i) => {
    if (typeof rule === "string") return parseTagRule(rule, `tagMatch[${i}]`);
    if (!TAG_KEY.test(rule.key) || typeof rule.value !== "string" || rule.value.length > 64) {
      throw new ValidationError(`tagMatch[${i}]`, rule, TAG_RULE_ALLOWED);
    }
    return { key: rule.key, value: rule.value, negate: rule.negate === true };
  });
  const minBrickSize =
    input.minBrickSize === undefined ? DEFAULTS.minBrickSize : parseSize(input.minBrickSize, "minBrickSize");
  if (minBrickSize < XFS_MIN_SIZE) {
    throw new ValidationError(
      "minBrickSize",
      input.minBrickSize,
      `at least ${formatSize(XFS_MIN_SIZE)}, the smallest filesystem mkfs.xfs (xfsprogs 6.x) accepts`,
    );
  }
  const maxBrickSize =
    input.maxBrickSize === undefined ? DEFAULTS.maxBrickSize : parseSize(input.maxBrickSize, "maxBrickSize");
  if (maxBrickSize < minBrickSize || maxBrickSize < EXTENT) {
    throw new ValidationError(
      "maxBrickSize",
      input.maxBrickSize,
      `at least the minimum brick size (${formatSize(minBrickSize)})`,
    );
  }
  const setSize = setSizeOf(durability);
  const maxBricks = integer(input.maxBricks ?? DEFAULTS.maxBricks, "maxBricks", setSize, 100000);
  const expandMode = oneOf(
    input.expandMode,
    ["add-sets", "grow"] as const,
    DEFAULTS.expandMode,
    "expandMode",
  );
  if (input.cluster !== undefined && (typeof input.cluster !== "string" || input.cluster === "")) {
    throw new ValidationError("cluster", input.cluster, "a cluster id from the topology");
  }
  const request: VolumeRequest = {
    size,
    durability,
    zoneChecking,
    snapshotFactor,
    averageFileSize,
    tagMatch,
    minBrickSize,
    maxBrickSize,
    maxBricks,
    expandMode,
  };
  if (input.cluster !== undefined) request.cluster = input.cluster;
  return request;
}
