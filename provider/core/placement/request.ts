// Filling in and validating a volume request. The defaults are provider/core/defaults.ts; each
// durability type validates itself (provider/core/durability).
import { DEFAULTS, EXPAND_MODES, ZONE_CHECKING_MODES } from "../defaults";
import { type DurabilityInput, resolveDurability, setSizeOf } from "../durability";
import { ValidationError } from "../errors";
import { LIMITS, tagKeyRule, tagValueRule } from "../names";
import { KiB, parseSize, formatSize } from "../units";
import { EXTENT, XFS_MIN_SIZE } from "../sizing";
import type { TagRule, VolumeRequest } from "./types";

export { DEFAULTS, setSizeOf };

export interface VolumeRequestInput {
  size: number | string;
  durability?: DurabilityInput;
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

const TAG_RULE_ALLOWED = `KEY=VALUE or KEY!=VALUE, KEY of 1-64 letters, digits, '_', '.', '-', VALUE up to ${LIMITS.tagValueLength} printable characters`;

/** A tag-match rule whose key and value follow the tags' own rules (names.ts), else the reason. */
function tagRuleProblem(key: string, value: string): string | undefined {
  const k = tagKeyRule(key);
  if (k) return `KEY ${k.why}; ${k.fix}`;
  const v = tagValueRule(value);
  return v && `VALUE ${v.why}; ${v.fix}`;
}

/** Parses Heketi's device-tag-match syntax: `key=value` or `key!=value`. */
export function parseTagRule(text: string, field = "tagMatch"): TagRule {
  // s: a newline in VALUE is matched, then refused by the value rule with a reason.
  const match = /^([^=!]*)(!?=)(.*)$/s.exec(text);
  if (!match) throw new ValidationError(field, text, TAG_RULE_ALLOWED);
  // Both groups always take part in a match (they may be empty), so they are strings.
  const [, key = "", op, value = ""] = match;
  const problem = tagRuleProblem(key, value);
  if (problem) throw new ValidationError(field, text, TAG_RULE_ALLOWED, problem);
  return { key, value, negate: op === "!=" };
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

/** Fills documented defaults into a partial request and validates it; throws ValidationError. */
export function resolveVolumeRequest(input: VolumeRequestInput): VolumeRequest {
  const size = parseSize(input.size, "size");
  if (size <= 0) throw new ValidationError("size", input.size, "a size greater than zero");
  const durability = resolveDurability(input.durability);
  const zoneChecking = oneOf(input.zoneChecking, ZONE_CHECKING_MODES, DEFAULTS.zoneChecking, "zoneChecking");
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
    const problem =
      typeof rule.key === "string" && typeof rule.value === "string"
        ? tagRuleProblem(rule.key, rule.value)
        : "KEY and VALUE must be strings";
    if (problem) throw new ValidationError(`tagMatch[${i}]`, rule, TAG_RULE_ALLOWED, problem);
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
  const expandMode = oneOf(input.expandMode, EXPAND_MODES, DEFAULTS.expandMode, "expandMode");
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
