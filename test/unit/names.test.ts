import fc from "fast-check";
import { ValidationError } from "../../provider/core/errors";
import {
  assertBrickRoot,
  assertClusterId,
  assertDevicePath,
  assertHost,
  assertMode,
  assertOptionKey,
  assertOptionValue,
  assertVolumeName,
  brickLvName,
  brickMountPath,
  brickTags,
  decodeTagValue,
  deviceTags,
  encodeTagValue,
  lvMapperPath,
  parseHeketiBrickPath,
  parseLvName,
  parseTags,
  parseVgName,
  thinPoolName,
  vgName,
} from "../../provider/core/names";

describe("naming scheme", () => {
  test("VG, pool, LV and mount names", () => {
    expect(vgName("lab", "/dev/vdb")).toBe("gfs_lab_vdb");
    expect(vgName("lab", "/dev/disk/by-id/virtio-abc:1")).toBe("gfs_lab_virtio-abc_1");
    expect(thinPoolName("data", 1, 2)).toBe("tp_data_s1b2");
    expect(brickLvName("my_vol", 0, 0)).toBe("brick_my_vol_s0b0");
    expect(brickMountPath("/var/lib/glusterfs-bricks", "data", 1, 2)).toBe(
      "/var/lib/glusterfs-bricks/data/s1b2",
    );
    expect(lvMapperPath("gfs_lab-x", "brick_a-b_s0b0")).toBe("/dev/mapper/gfs_lab--x-brick_a--b_s0b0");
  });

  test("tags", () => {
    expect(deviceTags("lab", "/dev/vdb")).toEqual(["glusterfs.cluster=lab", "glusterfs.device=/dev/vdb"]);
    expect(brickTags("v", 0, 2, "arbiter")).toEqual([
      "glusterfs.volume=v",
      "glusterfs.brick=s0b2",
      "glusterfs.role=arbiter",
    ]);
    expect(parseTags("glusterfs.brick=s0b0,glusterfs.volume=fx,plain")).toEqual({
      "glusterfs.brick": "s0b0",
      "glusterfs.volume": "fx",
      plain: "",
    });
  });

  test("tag values survive any string and use only LVM's tag characters (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const e = encodeTagValue(s);
        expect(e).toMatch(/^[A-Za-z0-9_+.\-/=!:&#]*$/);
        expect(decodeTagValue(e)).toBe(s);
      }),
    );
    expect(encodeTagValue("a b#c")).toBe("a#20b#23c");
  });

  test("reads our names and Heketi's back", () => {
    expect(parseLvName("brick_my_vol_s3b1")).toEqual({
      origin: "ours",
      kind: "brick",
      volume: "my_vol",
      set: 3,
      index: 1,
    });
    expect(parseLvName("tp_v_s0b0")).toMatchObject({ origin: "ours", kind: "pool" });
    const id = "0123456789abcdef0123456789abcdef";
    expect(parseLvName(`brick_${id}`)).toEqual({ origin: "heketi", kind: "brick", id });
    expect(parseLvName("root")).toBeUndefined();
    expect(parseVgName(`vg_${id}`)).toEqual({ origin: "heketi", id });
    expect(parseVgName("gfs_lab_vdb")).toEqual({ origin: "ours", cluster: "lab", device: "vdb" });
    expect(parseHeketiBrickPath(`/var/lib/heketi/mounts/vg_${id}/brick_${id}/brick`)).toEqual({
      vg: `vg_${id}`,
      lv: `brick_${id}`,
    });
  });
});

describe("validation of everything that can reach a shell", () => {
  const evil = [
    "",
    "a b",
    "a;b",
    "$(id)",
    "`id`",
    "a'b",
    'a"b',
    "a\nb",
    "a|b",
    "a&b",
    "../x",
    "-rf",
    "*",
    "a\\b",
    "é",
  ];

  test.each(evil)("volume name %j is refused", (v) =>
    expect(() => assertVolumeName(v)).toThrow(ValidationError),
  );
  test.each(evil)("cluster id %j is refused", (v) =>
    expect(() => assertClusterId(v)).toThrow(ValidationError),
  );
  test.each(evil)("host %j is refused", (v) => expect(() => assertHost(v)).toThrow(ValidationError));
  test.each(evil)("option key %j is refused", (v) =>
    expect(() => assertOptionKey(v)).toThrow(ValidationError),
  );

  test("volume names: Gluster's characters, LVM's reserved words, length", () => {
    expect(assertVolumeName("data-01_x")).toBe("data-01_x");
    expect(() => assertVolumeName("a".repeat(65))).toThrow(ValidationError);
    expect(() => assertVolumeName("x_tmeta")).toThrow(/reserved/);
    expect(() => assertVolumeName("all")).toThrow(ValidationError);
    expect(() => assertVolumeName("1abc")).toThrow(ValidationError);
  });

  test("device paths", () => {
    expect(assertDevicePath("/dev/vdb")).toBe("/dev/vdb");
    expect(assertDevicePath("/dev/disk/by-id/wwn-0x5000c5:1")).toBeTruthy();
    for (const d of ["/dev/../etc/passwd", "/dev//vdb", "/etc/passwd", "/dev/vdb;id", "/dev/vd b", "vdb"])
      expect(() => assertDevicePath(d)).toThrow(ValidationError);
  });

  test("brick root", () => {
    expect(assertBrickRoot("/data/bricks")).toBe("/data/bricks");
    for (const r of ["/", "/etc", "relative", "/a/../b", "/a//b", "/a/", "/a b", "/a;b"])
      expect(() => assertBrickRoot(r)).toThrow(ValidationError);
  });

  test("option values: printable only", () => {
    expect(assertOptionValue("k", "a b;$(id)")).toBe("a b;$(id)");
    expect(() => assertOptionValue("k", "a\nb")).toThrow(ValidationError);
    expect(() => assertOptionValue("k", "x".repeat(1025))).toThrow(ValidationError);
  });

  test("mode", () => {
    expect(assertMode(0o2775)).toBe("2775");
    expect(assertMode(0o755)).toBe("0755");
    expect(() => assertMode(0o17777)).toThrow(ValidationError);
  });
});
