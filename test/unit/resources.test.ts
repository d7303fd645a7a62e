// The handlers' decisions that need no node: validation that names field and value, refusals
// before anything runs, stable plans, and diffs that ignore what needs no action.
import { createDeps, handlersFor } from "../../provider/resources";
import { UNKNOWN } from "../../provider/resources/handler";
import { bricksOf, capacityOf, requestOf } from "../../provider/resources/volume-plan";
import { volumeInputsSchema } from "../../provider/core/model";
import { topology, volumeInputs } from "../support/handler-inputs";

/** The handlers of one provider process (nothing here reaches a node). */
const handlers = handlersFor(createDeps());

const GiB = 1024 ** 3;
// The engine adds __provider to every dynamic resource's inputs.
const volume = (over: Record<string, unknown> = {}) => volumeInputs({ __provider: "serialized", ...over });
const brick = (set: number, index: number, size = 2 * GiB) => ({
  id: `s${set}b${index}`,
  node: `10.0.0.${index + 1}`,
  storage: `gfs-${index + 1}`,
  zone: index + 1,
  device: "/dev/vdb",
  set,
  index,
  role: "data",
  size,
  poolSize: size,
  metadataSize: 12582912,
  path: `/var/lib/glusterfs-bricks/data/s${set}b${index}/brick`,
});
const threeBricks = [brick(0, 0), brick(0, 1), brick(0, 2)];

describe("Volume check", () => {
  test.each([
    [
      { name: "data;rm -rf /" },
      "name",
      /name: the value "data;rm -rf \/" is not a volume name; start with a letter/,
    ],
    [{ size: "ten gigs" }, "size", /size: invalid value "ten gigs".*allowed/],
    [
      { durability: { type: "disperse", disperseData: 2, disperseRedundancy: 2 } },
      "durability",
      /2R|redundancy/i,
    ],
    [
      { durability: { type: "disperse", disperseData: 1, disperseRedundancy: 1 } },
      "durability",
      /durability\.disperseData: invalid value 1/,
    ],
    [
      { options: { "bad option;": "x" } },
      "options.bad option;",
      /the key "bad option;" is not a full Gluster option name; give the full dotted lowercase name/,
    ],
    [
      { topology: [{ ...topology[0], devices: [{ path: "/dev/$(reboot)", tags: {} }] }] },
      "topology.0.devices.0.path",
      /device path/,
    ],
  ])("refuses %j naming the field", async (over, property, reason) => {
    const r = await handlers.volume.check({}, volume(over));
    expect(r.failures?.[0]?.property).toBe(property);
    expect(r.failures?.[0]?.reason).toMatch(reason);
  });

  test("refuses a shrink before anything runs, with the reason", async () => {
    const olds = volume({ bricks: threeBricks });
    const r = await handlers.volume.check(olds, volume({ size: "1Gi" }));
    expect(r.failures).toEqual([
      { property: "size", reason: expect.stringMatching(/shrinking volume data from 2Gi to 1Gi is refused/) },
    ]);
  });

  test("refuses a durability change in place", async () => {
    const olds = volume({ bricks: threeBricks });
    const r = await handlers.volume.check(olds, volume({ durability: { type: "replicate", replica: 2 } }));
    expect(r.failures?.[0]?.property).toBe("durability");
  });

  test("refuses a rename in preview, with the reason (Gluster cannot rename a volume)", async () => {
    const olds = volume({ bricks: threeBricks });
    const r = await handlers.volume.check(olds, volume({ name: "other" }));
    expect(r.failures).toEqual([
      {
        property: "name",
        reason: expect.stringMatching(
          /volume data cannot be renamed to other: Gluster cannot rename a volume/,
        ),
      },
    ]);
  });

  test("refuses a Volume without an owner before anything runs", async () => {
    const { owner: _o, ...rest } = volume();
    const r = await handlers.volume.check({}, rest);
    expect(r.failures?.[0]?.property).toBe("owner");
  });

  test("plans nothing from guesses while an input is unknown", async () => {
    const r = await handlers.volume.check(
      {},
      volume({ topology: [{ ...topology[0], manageAddress: UNKNOWN }] }),
    );
    expect(r.failures).toBeUndefined();
    expect(r.inputs).not.toHaveProperty("bricks");
  });
});

describe("diffs", () => {
  test("a Volume with only unrelated inputs changed needs no update", async () => {
    const olds = volume({ bricks: threeBricks, topology: topology.slice(0, 2) });
    expect(
      await handlers.volume.diff("data", olds, volume({ bricks: threeBricks, __provider: "other" })),
    ).toEqual({ changes: false });
  });
  test("new bricks leave the diff to the engine, which shows each brick", async () => {
    const olds = volume({ bricks: threeBricks });
    const news = volume({ size: "4Gi", bricks: [...threeBricks, brick(1, 0), brick(1, 1), brick(1, 2)] });
    expect(await handlers.volume.diff("data", olds, news)).toEqual({});
  });
  test("a rename never becomes a replacement (which would delete the data)", async () => {
    await expect(handlers.volume.diff("data", volume(), volume({ name: "other" }))).rejects.toThrow(
      /Gluster cannot rename a volume/,
    );
  });
  test("a Node whose earlier members changed needs nothing", async () => {
    const node = {
      clusterId: "lab",
      manageAddress: "10.0.0.2",
      storageAddress: "gfs-2",
      zone: 2,
      tags: {},
      connection: {},
      members: [],
    };
    expect(
      await handlers.node.diff("n", node, {
        ...node,
        members: [{ manageAddress: "x", storageAddress: "x", connection: {} }],
      }),
    ).toEqual({ changes: false });
    expect(await handlers.node.diff("n", node, { ...node, storageAddress: "gfs-9" })).toMatchObject({
      replaces: ["storageAddress"],
    });
  });
});

describe("volume plan helpers", () => {
  const v = volumeInputsSchema.parse(volume());
  test("bricks get stable ids and paths from set and index", () => {
    const bricks = bricksOf(v, {
      cluster: "lab",
      durability: { type: "replicate", replica: 3, arbiter: false },
      devices: [],
      sets: [{ bricks: threeBricks.map(({ id: _i, set: _s, index: _x, path: _p, ...b }) => b as never) }],
    });
    expect(bricks.map((b) => [b.id, b.path])).toEqual([
      ["s0b0", "/var/lib/glusterfs-bricks/data/s0b0/brick"],
      ["s0b1", "/var/lib/glusterfs-bricks/data/s0b1/brick"],
      ["s0b2", "/var/lib/glusterfs-bricks/data/s0b2/brick"],
    ]);
  });
  test("capacity of replica sets is one brick per set", () => {
    const bricks = volumeInputsSchema.shape.bricks.parse([
      ...threeBricks,
      brick(1, 0, GiB),
      brick(1, 1, GiB),
      brick(1, 2, GiB),
    ])!;
    expect(capacityOf(bricks, requestOf(v))).toBe(3 * GiB);
  });
});
