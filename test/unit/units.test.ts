import fc from "fast-check";
import { ValidationError } from "../../provider/core/errors";
import { formatSize, GiB, KiB, MiB, parseSize, TiB } from "../../provider/core/units";
import {
  arbiterBrickSize,
  brickCost,
  brickSpace,
  EXTENT,
  METADATA_MAX,
  metadataFor,
  usableDeviceSize,
  XFS_MIN_SIZE,
} from "../../provider/core/sizing";

describe("parseSize", () => {
  it.each([
    [1073741824, 1073741824],
    ["1073741824", 1073741824],
    ["10GiB", 10 * GiB],
    ["10Gi", 10 * GiB],
    ["512MiB", 512 * MiB],
    ["1TiB", TiB],
    ["1.5TiB", 1.5 * TiB],
    [" 4 KiB ", 4 * KiB],
    ["0", 0],
  ])("reads %p", (input, bytes) => {
    expect(parseSize(input, "size")).toBe(bytes);
  });

  it.each(["10XB", "10GB", "10G", "ten", "", "-1GiB", "1e3", "GiB"])(
    "refuses %p naming field, value and what is allowed",
    (input) => {
      let error: unknown;
      try {
        parseSize(input, "volume.size");
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const v = error as ValidationError;
      expect(v.field).toBe("volume.size");
      expect(v.value).toBe(input);
      expect(v.message).toContain("volume.size");
      expect(v.message).toContain(JSON.stringify(input));
      expect(v.message).toContain("GiB");
    },
  );

  it("refuses negative, fractional and unsafe numbers", () => {
    for (const n of [-1, 1.5, Number.NaN, Infinity, 2 ** 60])
      expect(() => parseSize(n, "size")).toThrow(ValidationError);
  });

  it("reads back what formatSize prints for whole units", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom(1, KiB, MiB, GiB), (n, unit) => {
        const bytes = n * unit;
        const text = formatSize(bytes);
        if (!Number.isSafeInteger(bytes) || text.includes(".")) return;
        expect(parseSize(text, "x")).toBe(bytes);
      }),
    );
  });
});

describe("formatSize", () => {
  it("prints the largest binary unit", () => {
    expect(formatSize(10 * GiB)).toBe("10GiB");
    expect(formatSize(1.5 * TiB)).toBe("1.50TiB");
    expect(formatSize(512)).toBe("512B");
    expect(formatSize(0)).toBe("0B");
  });
});

describe("LVM sizing", () => {
  it("rounds to 4 MiB extents and takes 0.5 % metadata, capped just under LVM's 15.88 GiB", () => {
    expect(brickSpace(1, 1)).toEqual({ size: EXTENT, poolSize: EXTENT, metadataSize: EXTENT });
    const b = brickSpace(100 * GiB, 1);
    expect(b.poolSize).toBe(100 * GiB);
    expect(b.metadataSize).toBe(Math.ceil((100 * GiB * 0.005) / EXTENT) * EXTENT);
    expect(metadataFor(4 * TiB)).toBe(METADATA_MAX);
    expect(METADATA_MAX).toBeLessThan(15.88 * GiB);
    expect(METADATA_MAX).toBeGreaterThan(15.7 * GiB);
    expect(METADATA_MAX % EXTENT).toBe(0);
  });

  it("sizes the thin pool with the snapshot factor", () => {
    const b = brickSpace(10 * GiB, 1.5);
    expect(b.size).toBe(10 * GiB);
    expect(b.poolSize).toBe(15 * GiB);
  });

  it("charges the pool-metadata spare only when a pool's metadata outgrows it", () => {
    const b = brickSpace(100 * GiB, 1);
    expect(brickCost(b, 0)).toBe(b.poolSize + 2 * b.metadataSize);
    expect(brickCost(b, b.metadataSize)).toBe(b.poolSize + b.metadataSize);
  });

  it("keeps every size a whole number of extents", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 45 }),
        fc.constantFrom(1, 1.25, 1.5, 2, 3.3),
        (size, factor) => {
          const b = brickSpace(size, factor);
          expect(b.size % EXTENT).toBe(0);
          expect(b.poolSize % EXTENT).toBe(0);
          expect(b.metadataSize % EXTENT).toBe(0);
          expect(b.size).toBeGreaterThanOrEqual(size);
          expect(b.poolSize).toBeGreaterThanOrEqual(b.size * factor);
        },
      ),
    );
  });

  it("sizes arbiters at 4 KiB per expected file, floored at mkfs.xfs's 300 MiB minimum", () => {
    expect(arbiterBrickSize(1024 * GiB, 64 * KiB)).toBe(64 * GiB);
    expect(arbiterBrickSize(100 * GiB, 64 * KiB)).toBe(6400 * MiB);
    expect(arbiterBrickSize(1 * GiB, 64 * KiB)).toBe(XFS_MIN_SIZE);
    expect(arbiterBrickSize(10 * GiB, 1 * KiB)).toBe(10 * GiB);
  });

  it("leaves room for the PV metadata area on a fresh device", () => {
    expect(usableDeviceSize(1 * TiB)).toBe(1 * TiB - 132 * MiB);
    expect(usableDeviceSize(100 * MiB)).toBe(0);
  });
});
