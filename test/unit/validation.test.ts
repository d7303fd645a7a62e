// Everything a user can write is refused in `check` (preview) by the same rules the node script
// builders apply later, so nothing `up` would refuse gets past preview: field, value and fix named.
import fc from "fast-check";
import { ValidationError } from "../../provider/core/errors";
import {
  clusterInputsSchema,
  deviceInputsSchema,
  nodeInputsSchema,
  volumeInputsSchema,
} from "../../provider/core/model";
import { assertBrickRoot, assertDevicePath, assertHost, assertVolumeName } from "../../provider/core/names";
import { parseHeketiTopology } from "../../provider/core/topology";
import * as n from "../../provider/node";
import { createDeps, handlersFor } from "../../provider/resources";
import { UNKNOWN } from "../../provider/resources/handler";
import { cluster, nodeInputs, topology, volumeInputs } from "../support/handler-inputs";

/** The handlers of one provider process (nothing here reaches a node). */
const handlers = handlersFor(createDeps());

const volume = volumeInputs;
const node = nodeInputs;
const device = (over: Record<string, unknown> = {}) => ({
  clusterId: "lab",
  node: "10.0.0.1",
  path: "/dev/vdb",
  tags: {},
  wipe: false,
  connection: { user: "root" },
  ...over,
});

/** The first failure of a check; the check must fail. */
async function refusal(check: Promise<{ failures?: { property: string; reason: string }[] }>) {
  const r = await check;
  expect(r.failures?.length ?? 0).toBeGreaterThan(0);
  return r.failures![0]!;
}

describe("Gluster options (finding 5)", () => {
  test("a value starting with '-' is refused in check: the gluster CLI would parse it as its own option", async () => {
    const f = await refusal(
      handlers.volume.check({}, volume({ options: { "auth.allow": "--remote-host=10.9.9.9" } })),
    );
    expect(f.property).toBe("options.auth.allow");
    expect(f.reason).toBe(
      'options.auth.allow: the value "--remote-host=10.9.9.9" starts with "-", which the gluster CLI would ' +
        "take as its own option; give the value without a leading dash",
    );
  });

  test.each([
    ["a newline", "10.0.0.1\n10.0.0.2", /control character/],
    ["a tab", "a\tb", /control character/],
    ["an escape", "a\x1bb", /control character/],
    ["nothing", "", /empty/],
    ["only blanks", "   ", /blank|whitespace/],
    ["surrounding blanks", " on", /whitespace/],
  ])("a value with %s is refused in check", async (_what, value, why) => {
    const f = await refusal(
      handlers.volume.check({}, volume({ options: { "performance.cache-size": value } })),
    );
    expect(f.property).toBe("options.performance.cache-size");
    expect(f.reason).toMatch(why);
  });

  test.each([
    ["user.glusterfs-provider.managed", /reserved/],
    ["user.glusterfs-provider.rebalanced", /reserved/],
    ["user.glusterfs-provider.anything", /reserved/],
    ["group", /group/],
    ["readdir-ahead", /dotted|full/],
    ["cluster..quorum", /dotted|full/],
    ["cluster.quorum-", /dotted|full|end/],
    ["Cluster.Quorum", /lowercase|dotted/],
  ])("the key %j is refused in check", async (key, why) => {
    const f = await refusal(handlers.volume.check({}, volume({ options: { [key]: "on" } })));
    expect(f.property).toBe(`options.${key}`);
    expect(f.reason).toMatch(why);
  });

  test("ordinary options pass the model", () => {
    const r = volumeInputsSchema.safeParse(
      volume({
        options: {
          "auth.allow": "10.0.0.*,192.168.1.1",
          "performance.cache-size": "256MB",
          "user.smb": "disable",
          "storage.owner-gid": "2000",
          "nfs.rpc-auth-allow": "a b",
        },
      }),
    );
    expect(r.success).toBe(true);
  });

  test("the node builders refuse the same values and keys (one rule)", () => {
    const set = (options: Record<string, string>) => () =>
      n.buildSetOptions({ cluster: "lab", name: "data", options });
    expect(set({ "auth.allow": "--remote-host=10.9.9.9" })).toThrow(ValidationError);
    expect(set({ "auth.allow": "" })).toThrow(ValidationError);
    expect(set({ "user.glusterfs-provider.managed": "other" })).toThrow(ValidationError);
    expect(set({ group: "virt" })).toThrow(ValidationError);
    const create = (options: Record<string, string>) => () =>
      n.buildCreateVolume({
        cluster: "lab",
        name: "data",
        durability: { type: "distribute" },
        bricks: [{ host: "gfs-1", path: "/var/lib/glusterfs-bricks/data/s0b0/brick" }],
        options,
      });
    expect(create({ "auth.allow": "-x" })).toThrow(ValidationError);
    expect(create({ "user.glusterfs-provider.managed": "other" })).toThrow(ValidationError);
    // The provider's own marker is still set by create.
    expect(create({ "auth.allow": "10.0.0.*" })().text).toContain("user.glusterfs-provider.managed");
  });

  test("model and builder agree on every generated option (property)", () => {
    const key = fc.oneof(
      fc.constantFrom("auth.allow", "user.glusterfs-provider.managed", "group", "a.b", "x", "user.x"),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(
      fc.constantFrom("", " ", "-1", "--x", "on", "a\nb", "a b", " x"),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      // zod drops a "__proto__" key (it never reaches a builder), so it is no counterexample.
      fc.property(
        key.filter((k) => k !== "__proto__"),
        value,
        (k, v) => {
          const model = volumeInputsSchema.shape.options.safeParse({ [k]: v }).success;
          let builder = true;
          try {
            n.buildSetOptions({ cluster: "lab", name: "data", options: { [k]: v } });
          } catch (err) {
            if (!(err instanceof ValidationError)) throw err;
            builder = false;
          }
          expect({ k, v, model }).toEqual({ k, v, model: builder });
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("brick root (finding 9)", () => {
  const refused = [
    "/",
    "/etc",
    "/var",
    "/root",
    "/usr",
    "/boot",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/tmp",
    "/home",
    "/var/lib",
    "/tmp/bricks",
    "/etc/bricks",
    "/var/tmp/bricks",
    "/var/lib/glusterd",
    "/srv/../etc",
    "/srv/./bricks",
    "/srv//bricks",
    "/srv/bricks/",
    "srv/bricks",
    "/srv/bri cks",
    "/srv/bricks;reboot",
    "/srv/$(id)",
    "/" + "a".repeat(200),
  ];
  test.each(refused)(
    "%j is refused in the cluster's check and by the builder's assertBrickRoot",
    async (root) => {
      const f = await refusal(handlers.cluster.check({}, { ...cluster, brickRoot: root }));
      expect(f.property).toBe("brickRoot");
      expect(f.reason).toContain(JSON.stringify(root).slice(0, 40));
      expect(() => assertBrickRoot(root)).toThrow(ValidationError);
    },
  );

  test.each(refused)("%j is refused in the volume's check", async (root) => {
    const f = await refusal(handlers.volume.check({}, volume({ cluster: { ...cluster, brickRoot: root } })));
    expect(f.property).toBe("cluster.brickRoot");
  });

  test.each([
    "/var/lib/glusterfs-bricks",
    "/srv/bricks",
    "/data/gluster",
    "/bricks",
    "/mnt/bricks",
    "/home/gluster",
  ])("%j is accepted by both", (root) => {
    expect(clusterInputsSchema.safeParse({ ...cluster, brickRoot: root }).success).toBe(true);
    expect(assertBrickRoot(root)).toBe(root);
  });
});

describe("volume names (finding 9)", () => {
  // Words the gluster CLI will not take as a volume name (cli_validate_volname), plus "help".
  test.each([
    "all",
    "help",
    "volume",
    "type",
    "subvolumes",
    "option",
    "end-volume",
    "volume_not_in_ring",
    "description",
    "force",
    "snap-max-hard-limit",
    "snap-max-soft-limit",
    "auto-delete",
    "activate-on-create",
  ])("%j is refused in check with the builder's rule", async (name) => {
    const f = await refusal(handlers.volume.check({}, volume({ name })));
    expect(f.property).toBe("name");
    expect(f.reason).toMatch(/reserved|gluster/i);
    expect(() => assertVolumeName(name)).toThrow(ValidationError);
  });

  test("LVM's reserved substrings are refused in check too", async () => {
    const f = await refusal(handlers.volume.check({}, volume({ name: "x_tmeta" })));
    expect(f.property).toBe("name");
  });
});

describe("host addresses (finding 9)", () => {
  test("an IPv6 storage address is refused in check with the reason (builders cannot use it)", async () => {
    const f = await refusal(
      handlers.volume.check({}, volume({ topology: [{ ...topology[0], storageAddress: "fd00::1" }] })),
    );
    expect(f.property).toBe("topology.0.storageAddress");
    expect(f.reason).toMatch(/IPv6/);
    expect(() => assertHost("fd00::1")).toThrow(/IPv6/);
    const g = await refusal(handlers.node.check({}, node({ storageAddress: "fd00::2" })));
    expect(g.reason).toMatch(/IPv6/);
  });

  test("a Heketi topology.json with an IPv6 or underscore host is refused like the model refuses it", () => {
    for (const host of ["fd00::1", "gfs_1", "bad-.example", "10.0.0.256"]) {
      const json = {
        clusters: [
          { nodes: [{ node: { hostnames: { manage: ["n1"], storage: [host] }, zone: 1 }, devices: [] }] },
        ],
      };
      expect(() => parseHeketiTopology(json)).toThrow(ValidationError);
      expect(nodeInputsSchema.safeParse(node({ storageAddress: host })).success).toBe(false);
    }
  });

  test("a loopback storage address is refused (Gluster refuses it as a brick host)", async () => {
    for (const host of ["localhost", "127.0.0.1", "0.0.0.0"]) {
      const f = await refusal(handlers.node.check({}, node({ storageAddress: host })));
      expect(f.property).toBe("storageAddress");
      expect(() => assertHost(host)).toThrow(ValidationError);
    }
  });

  test("model and builder agree on every generated host (property)", () => {
    const host = fc.oneof(
      fc.constantFrom(
        "gfs-1",
        "10.0.0.1",
        "fd00::1",
        "a_b",
        "a-",
        "-a",
        "a..b",
        "A.B",
        "1.2.3.999",
        "localhost",
      ),
      fc.stringMatching(/^[a-z0-9.:_-]{0,20}$/),
      fc.domain(),
      fc.ipV4(),
      fc.ipV6(),
    );
    fc.assert(
      fc.property(host, (h) => {
        const model = nodeInputsSchema.safeParse(node({ storageAddress: h })).success;
        let builder = true;
        try {
          n.buildPeerProbe(h);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          builder = false;
        }
        expect({ h, model }).toEqual({ h, model: builder });
      }),
      { numRuns: 400 },
    );
  });

  test("device paths: the model takes what the builders take (by-path names have ':')", () => {
    for (const path of ["/dev/disk/by-path/pci-0000:00:04.0", "/dev/mapper/vg-x+y"]) {
      expect(deviceInputsSchema.safeParse(device({ path })).success).toBe(true);
      expect(assertDevicePath(path)).toBe(path);
    }
    for (const path of ["/dev/../etc/passwd", "/dev//vdb", "/dev/./vdb"]) {
      expect(deviceInputsSchema.safeParse(device({ path })).success).toBe(false);
      expect(() => assertDevicePath(path)).toThrow(ValidationError);
    }
  });
});

describe("a node or a volume group declared twice (finding 9)", () => {
  test.each([
    [
      "the same manage address spelled in another case",
      { manageAddress: "GFS-A" },
      { manageAddress: "gfs-a" },
    ],
    ["the same storage address", { storageAddress: "gfs-1" }, { storageAddress: "gfs-1" }],
    [
      "the same storage address with a trailing dot",
      { storageAddress: "gfs-1.lab" },
      { storageAddress: "GFS-1.lab." },
    ],
  ])("a Volume's topology with %s is refused naming both nodes", async (_what, a, b) => {
    const twice = [{ ...topology[0], ...a }, topology[1], { ...topology[2], ...b }];
    const f = await refusal(handlers.volume.check({}, volume({ topology: twice })));
    expect(f.property).toMatch(/^topology\.2\./);
    expect(f.reason).toMatch(/topology\.0/);
  });

  test("a Node declared again (same storage address as an earlier member) is refused in its check", async () => {
    const f = await refusal(handlers.node.check({}, node({ storageAddress: "GFS-1" })));
    expect(f.property).toBe("storageAddress");
    expect(f.reason).toMatch(/members\.0/);
    const g = await refusal(handlers.node.check({}, node({ manageAddress: "10.0.0.1" })));
    expect(g.property).toBe("manageAddress");
  });

  test("two devices of one node that map to the same volume group are refused in the Volume's check", async () => {
    const devices = [
      { path: "/dev/vdb", tags: {} },
      { path: "/dev/mapper/vdb", tags: {} },
    ];
    const f = await refusal(
      handlers.volume.check(
        {},
        volume({ topology: [{ ...topology[0], devices }, topology[1], topology[2]] }),
      ),
    );
    expect(f.property).toBe("topology.0.devices.1.path");
    expect(f.reason).toContain("/dev/vdb");
    expect(f.reason).toContain("/dev/mapper/vdb");
    expect(f.reason).toContain("gfs_lab_vdb");
  });

  test("two Device resources of one node that map to the same volume group are refused in the second's check", async () => {
    const first = await handlers.device.check({}, device({ node: "10.0.0.9", path: "/dev/vdc" }));
    expect(first.failures).toBeUndefined();
    // The same device checked again (a later preview of the same resource) is fine.
    expect(
      (await handlers.device.check({}, device({ node: "10.0.0.9", path: "/dev/vdc" }))).failures,
    ).toBeUndefined();
    const f = await refusal(handlers.device.check({}, device({ node: "10.0.0.9", path: "/dev/mapper/vdc" })));
    expect(f.property).toBe("path");
    expect(f.reason).toContain("/dev/vdc");
    expect(f.reason).toContain("/dev/mapper/vdc");
    // Another node, or another cluster, may use the same name.
    expect(
      (await handlers.device.check({}, device({ node: "10.0.0.8", path: "/dev/mapper/vdc" }))).failures,
    ).toBeUndefined();
  });
});

describe("secrets in check failures (finding 9)", () => {
  const secret = "hunter2-Sup3rSecret";
  const noSecret = async (r: Promise<{ failures?: { property: string; reason: string }[] }>) => {
    const failures = (await r).failures ?? [];
    expect(failures.length).toBeGreaterThan(0);
    const text = JSON.stringify(failures);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("Sup3r");
    return failures;
  };

  test.each([
    ["a password of the wrong type", { password: [secret] }],
    ["a private key of the wrong type", { privateKey: { pem: secret } }],
    ["a private key password as a number", { privateKeyPassword: 12345 }],
  ])("%s is not echoed (node connection)", async (_what, conn) => {
    const failures = await noSecret(handlers.node.check({}, node({ connection: { user: "root", ...conn } })));
    if (typeof Object.values(conn)[0] === "number") expect(JSON.stringify(failures)).not.toContain("12345");
  });

  test("nor in a proxy, a member or a volume's topology", async () => {
    await noSecret(
      handlers.node.check(
        {},
        node({ connection: { user: "root", proxy: { host: "bastion", password: [secret] } } }),
      ),
    );
    await noSecret(
      handlers.node.check(
        {},
        node({
          members: [
            { manageAddress: "10.0.0.1", storageAddress: "gfs-1", connection: { privateKey: [secret] } },
          ],
        }),
      ),
    );
    await noSecret(
      handlers.volume.check(
        {},
        volume({ topology: [{ ...topology[0], connection: { host: "10.0.0.1", password: { v: secret } } }] }),
      ),
    );
    await noSecret(handlers.device.check({}, device({ connection: { privateKeyPassword: [[secret]] } })));
  });

  test("a connection (or proxy) given as a string, e.g. a key pasted one level too high, is not echoed", async () => {
    await noSecret(handlers.node.check({}, node({ connection: secret })));
    await noSecret(handlers.node.check({}, node({ connection: { user: "root", proxy: [secret] } })));
  });

  test("a failure elsewhere in a connection shows the connection without its secrets", async () => {
    await noSecret(
      handlers.node.check(
        {},
        node({ connection: { user: "Root Bad", password: secret, privateKey: secret } }),
      ),
    );
  });
});

describe("numbers (finding 9)", () => {
  test.each([
    ["maxBricksPerVolume above the planner's limit", { maxBricksPerVolume: 200000 }, "maxBricksPerVolume"],
    ["minBrickSize below the smallest XFS", { minBrickSize: 1024 }, "minBrickSize"],
    [
      "maxBrickSize below minBrickSize",
      { minBrickSize: 2 * 1024 ** 3, maxBrickSize: 1024 ** 3 },
      "maxBrickSize",
    ],
    ["maxBrickSize below the default minimum", { maxBrickSize: 512 * 1024 ** 2 }, "maxBrickSize"],
    ["a fractional size in bytes", { minBrickSize: 1.5 * 1024 ** 3 + 0.5 }, "minBrickSize"],
  ])("the cluster's %s is refused in its check", async (_what, over, property) => {
    const f = await refusal(handlers.cluster.check({}, { ...cluster, ...over }));
    expect(f.property).toBe(property);
  });

  test("zones: the Node's range is whole numbers up to Heketi's int32 (the planner takes any)", async () => {
    const f = await refusal(handlers.node.check({}, node({ zone: 2 ** 31 })));
    expect(f.property).toBe("zone");
    expect((await handlers.node.check({}, node({ zone: 0 }))).failures).toBeUndefined();
    expect((await refusal(handlers.node.check({}, node({ zone: 1.5 })))).property).toBe("zone");
  });

  test("a recorded brick with numbers the builders reject is refused", () => {
    const brick = {
      id: "s0b0",
      node: "10.0.0.1",
      storage: "gfs-1",
      zone: 1,
      device: "/dev/vdb",
      set: 0,
      index: 0,
      role: "data",
      size: 1024 ** 3,
      poolSize: 1024 ** 3,
      metadataSize: 4 * 1024 ** 2,
      path: "/var/lib/glusterfs-bricks/data/s0b0/brick",
    };
    const ok = volumeInputsSchema.shape.bricks.safeParse([brick]);
    expect(ok.success).toBe(true);
    // Bricks Heketi made (read and imported) live under /var/lib/heketi/mounts.
    const heketi =
      "/var/lib/heketi/mounts/vg_0123456789abcdef0123456789abcdef/brick_0123456789abcdef0123456789abcdef/brick";
    expect(volumeInputsSchema.shape.bricks.safeParse([{ ...brick, path: heketi }]).success).toBe(true);
    for (const bad of [
      { set: 100000 },
      { size: 1.5 },
      { path: "/var/lib/../etc/brick" },
      { path: "/srv/b/" },
      { path: "/" + "a".repeat(251) },
      { id: "s0b0;x" },
    ])
      expect(volumeInputsSchema.shape.bricks.safeParse([{ ...brick, ...bad }]).success).toBe(false);
  });

  test("maxBricksPerVolume below one set is refused in the Volume's check, named as the user wrote it", async () => {
    const f = await refusal(
      handlers.volume.check({}, volume({ cluster: { ...cluster, maxBricksPerVolume: 2 } })),
    );
    expect(f.property).toBe("cluster.maxBricksPerVolume");
    expect(f.reason).toMatch(/^cluster\.maxBricksPerVolume: invalid value 2.*from 3/);
  });

  test("gid: the model's range is the builder's", () => {
    expect(volumeInputsSchema.shape.gid.safeParse(4294967295).success).toBe(false);
    expect(volumeInputsSchema.shape.gid.safeParse(4294967294).success).toBe(true);
  });
});

describe("preview with values not known yet", () => {
  // A connection whose key comes from another resource is unknown in the first preview.
  const unknownKey = topology.map((t) => ({ ...t, connection: { ...t.connection, privateKey: UNKNOWN } }));

  test("a Volume's known values are still checked (they used to pass unchecked until `up`)", async () => {
    const f = await refusal(
      handlers.volume.check(
        {},
        volume({ topology: unknownKey, options: { "auth.allow": "--remote-host=x" } }),
      ),
    );
    expect(f.property).toBe("options.auth.allow");
    const g = await refusal(handlers.volume.check({}, volume({ topology: unknownKey, name: "all" })));
    expect(g.property).toBe("name");
  });

  test("values that are unknown are not judged, and nothing is planned", async () => {
    const r = await handlers.volume.check(
      {},
      volume({
        topology: [{ ...topology[0], zone: UNKNOWN, storageAddress: UNKNOWN }, topology[1], topology[2]],
      }),
    );
    expect(r.failures).toBeUndefined();
    expect(r.inputs).not.toHaveProperty("bricks");
    const n = await handlers.node.check({}, node({ zone: UNKNOWN, manageAddress: UNKNOWN }));
    expect(n.failures).toBeUndefined();
    const c = await handlers.cluster.check({}, { ...cluster, maxBrickSize: UNKNOWN });
    expect(c.failures).toBeUndefined();
  });

  test("a Node or Device with an unknown field still has its known fields checked", async () => {
    expect(
      (await refusal(handlers.node.check({}, node({ zone: UNKNOWN, storageAddress: "fd00::1" })))).property,
    ).toBe("storageAddress");
    expect(
      (
        await refusal(
          handlers.device.check({}, device({ connection: { privateKey: UNKNOWN }, path: "/dev/../x" })),
        )
      ).property,
    ).toBe("path");
  });
});
