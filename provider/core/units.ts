// Byte sizes: parsing what users write ("10GiB", "10Gi", "512MiB", 1073741824) and printing
// sizes back in the same binary units. Everything inside the core is a whole number of bytes.
import { ValidationError } from "./errors";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const PiB = 1024 * TiB;

const UNITS: Record<string, number> = {
  "": 1,
  B: 1,
  KiB,
  MiB,
  GiB,
  TiB,
  PiB,
  Ki: KiB,
  Mi: MiB,
  Gi: GiB,
  Ti: TiB,
  Pi: PiB,
};

export const SIZE_ALLOWED =
  "a whole number of bytes, or a number with a binary suffix B, KiB, MiB, GiB, TiB, PiB (Kubernetes-style Ki, Mi, Gi, Ti, Pi also accepted), e.g. 10GiB, 512Mi, 1.5TiB";

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/;

/** Parses a size into bytes; throws a ValidationError naming `field` on anything else. */
export function parseSize(value: string | number, field: string): number {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new ValidationError(field, value, SIZE_ALLOWED);
  }
  if (typeof value !== "string") throw new ValidationError(field, value, SIZE_ALLOWED);
  const match = SIZE_PATTERN.exec(value);
  const unit = match ? UNITS[match[2] ?? ""] : undefined;
  if (!match || unit === undefined) {
    const hint =
      match && /^[kKmMgGtTpP][bB]?$/.test(match[2] ?? "") ? "decimal units are ambiguous" : undefined;
    throw new ValidationError(field, value, SIZE_ALLOWED, hint);
  }
  const bytes = Math.ceil(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw new ValidationError(field, value, SIZE_ALLOWED, "too large");
  return bytes;
}

const FORMAT_UNITS: Array<[string, number]> = [
  ["PiB", PiB],
  ["TiB", TiB],
  ["GiB", GiB],
  ["MiB", MiB],
  ["KiB", KiB],
];

/**
 * Prints bytes in the largest binary unit that keeps the number at or above 1: exact values as
 * whole numbers ("10GiB"), others with two decimals ("1.50TiB"). Exact outputs parse back to the
 * same byte count with parseSize.
 */
export function formatSize(bytes: number): string {
  const sign = bytes < 0 ? "-" : "";
  const abs = Math.abs(bytes);
  for (const [name, unit] of FORMAT_UNITS) {
    if (abs >= unit) {
      const whole = abs % unit === 0;
      return `${sign}${whole ? String(abs / unit) : (abs / unit).toFixed(2)}${name}`;
    }
  }
  return `${sign}${abs}B`;
}
