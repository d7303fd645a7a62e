// The Volume handler's life cycle against a recording fake of the nodes (test/support/fake-cluster):
// ownership (a failed operation touches only what this resource made), name collisions refused in
// preview, and convergence of create, expand and delete after a cut at every step.
import type { RemoteExecutor } from "../../provider/core/exec";
import { MANAGED_OPTION, OWNER_OPTION, TAG } from "../../provider/core/names";
import { REBALANCED_OPTION } from "../../provider/node/volume";
import {
  type Handler,
  type Inputs,
  type ResourceKind,
  createDeps,
  handlersFor,
} from "../../provider/resources";
import { FakeCluster, type Fault } from "../support/fake-cluster";
import { volumeInputs } from "../support/handler-inputs";

const mockHolder: { cluster?: FakeCluster | undefined } = {};

// provider/node's operations are played by the fake cluster of the test (test/support/fake-cluster).
jest.mock("../../provider/node", () =>
  jest
    .requireActual<typeof import("../support/fake-cluster")>("../support/fake-cluster")
    .nodeWithFakeOperations(() => mockHolder.cluster),
);

const GiB = 1024 ** 3;
const hosts = [1, 2, 3, 4].map((i) => ({
  manage: `10.0.0.${i}`,
  storage: `gfs-${i}`,
  devices: { "/dev/vdb": 20 * GiB, "/dev/vdc": 20 * GiB },
}));
const topology = hosts.map((h, i) => ({
  manageAddress: h.manage,
  storageAddress: h.storage,
  zone: i + 1,
  tags: {},
  connection: { host: h.manage, user: "root" },
  devices: Object.keys(h.devices).map((path) => ({ path, tags: {} })),
}));
// Four nodes of two devices each: room for the plans these tests cut and finish.
const volume = (over: Record<string, unknown> = {}): Inputs =>
  volumeInputs({ __provider: "serialized", topology, options: {}, ...over });

let handlers: Record<ResourceKind, Handler>;

/** A new provider process: what one process remembers (name claims, reservations) starts empty. */
function newProcess(): void {
  handlers = handlersFor(
    createDeps({
      executors: (t) =>
        down.has(t.manageAddress)
          ? unreachable(t.manageAddress)
          : mockHolder.cluster!.executor(t.manageAddress),
    }),
  );
}

/** Nodes whose SSH dial fails (the node operations themselves are the fake's). */
const down = new Set<string>();
function unreachable(host: string): RemoteExecutor {
  return {
    host,
    run: async () => {
      throw new Error(`${host}: connect ECONNREFUSED`);
    },
  };
}

function fresh(): FakeCluster {
  down.clear();
  const c = new FakeCluster("lab", hosts);
  mockHolder.cluster = c;
  newProcess();
  return c;
}

/** A volume somebody made by hand: plain directories as bricks, no markers, a file in it. */
function handMadeOmega(c: FakeCluster): void {
  for (const n of c.nodes.slice(0, 3)) n.dirs.push("/srv/omega/brick");
  c.volumes.set("omega", {
    name: "omega",
    id: "hand",
    status: "Started",
    bricks: c.nodes.slice(0, 3).map((n) => `${n.storage}:/srv/omega/brick`),
    options: { "performance.cache-size": "64MB" },
    setSize: 3,
  });
}

/** A volume another stack made with this provider on this cluster: tagged LVs, mounts, fstab, markers. */
async function otherStacksOmega(c: FakeCluster): Promise<void> {
  const other = volume({ name: "omega", owner: "proj/other/omega" });
  const checked = await handlers.volume.check({}, other);
  expect(checked.failures).toBeUndefined();
  await handlers.volume.create(checked.inputs!);
  c.calls.length = 0;
  newProcess(); // this stack runs in a process of its own
}

/** The plan check makes for `inputs` on an empty copy of the cluster (what preview showed before omega appeared). */
async function planOnEmpty(inputs: Inputs): Promise<Inputs> {
  const saved = mockHolder.cluster;
  fresh();
  const r = await handlers.volume.check({}, inputs);
  mockHolder.cluster = saved;
  expect(r.failures).toBeUndefined();
  return r.inputs!;
}

function omegaState(c: FakeCluster): unknown {
  const s = c.snapshot() as {
    nodes: {
      lvs: { name: string }[];
      mounts: Record<string, string>;
      fstab: Record<string, string>;
      dirs: string[];
    }[];
    volumes: { name: string }[];
  };
  return {
    volumes: s.volumes.filter((v) => v.name === "omega"),
    nodes: s.nodes.map((n) => ({
      lvs: n.lvs.filter((l) => l.name.includes("omega")),
      mounts: Object.entries(n.mounts).filter(([m]) => m.includes("omega")),
      fstab: Object.entries(n.fstab).filter(([m]) => m.includes("omega")),
      dirs: n.dirs,
    })),
  };
}

describe("ownership: a failed create never touches a volume that is not this resource's", () => {
  test.each([
    [
      "made by hand",
      handMadeOmega,
      /not made by pulumi-glusterfs \(by hand or Heketi\): import it or choose another name/,
    ],
    ["made by another stack", otherStacksOmega, /belongs to Volume resource proj\/other\/omega/],
  ])(
    "a volume omega %s survives, and preview refuses the name naming its owner",
    async (_what, make, owner) => {
      const c = fresh();
      await make(c);
      const before = omegaState(c);
      const news = volume({ name: "omega", owner: "proj/dev/omega" });

      const checked = await handlers.volume.check({}, news);
      expect(checked.failures).toEqual([{ property: "name", reason: expect.stringMatching(owner) }]);

      // Even when preview ran before omega appeared, `up` re-checks and its cleanup leaves omega alone.
      const planned = await planOnEmpty(news);
      await expect(handlers.volume.create(planned)).rejects.toThrow();
      expect(omegaState(c)).toEqual(before);
      expect(c.calls.filter((k) => k.outcome === "ok" && k.what.includes("omega"))).toEqual([]);
    },
  );

  test("omega appearing between the re-check and 'volume create': cleanup removes only our bricks", async () => {
    const c = fresh();
    const news = volume({ name: "omega", owner: "proj/dev/omega" });
    const planned = await planOnEmpty(news);
    const create = c.createVolume;
    c.createVolume = async (exec, spec) => {
      if (!c.volumes.has("omega")) handMadeOmega(c);
      return create(exec, spec);
    };
    const empty = c.snapshot();
    await expect(handlers.volume.create(planned)).rejects.toThrow(/omega/);
    c.createVolume = create;
    const after = c.snapshot() as {
      volumes: unknown[];
      nodes: { lvs: unknown[]; mounts: object; fstab: object }[];
    };
    expect(c.volumes.get("omega")?.id).toBe("hand");
    expect(after.nodes.map((n) => [n.lvs, n.mounts, n.fstab])).toEqual(
      (empty as typeof after).nodes.map((n) => [n.lvs, n.mounts, n.fstab]),
    );
  });
});

describe("names: refused in preview", () => {
  test("two Volume resources of one program claiming one name are refused, naming both", async () => {
    fresh();
    const a = await handlers.volume.check({}, volume({ owner: "proj/dev/a" }));
    expect(a.failures).toBeUndefined();
    const b = await handlers.volume.check({}, volume({ owner: "proj/dev/b" }));
    expect(b.failures).toEqual([
      {
        property: "name",
        reason: expect.stringMatching(
          /two Volume resources claim volume name data on cluster lab: proj\/dev\/a and proj\/dev\/b/,
        ),
      },
    ]);
  });

  test("a rename is refused with the reason, never turned into a replacement", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    const r = await handlers.volume.check(made, volume({ name: "other" }));
    expect(r.failures).toEqual([
      {
        property: "name",
        reason: expect.stringMatching(/cannot be renamed to other: Gluster cannot rename a volume/),
      },
    ]);
    await expect(handlers.volume.diff("data", made, { ...made, name: "other" })).rejects.toThrow(
      /cannot rename/,
    );
  });

  test("a volume of this cluster made before owner markers is not taken over by a new resource", async () => {
    const c = fresh();
    await up(c, undefined, volume());
    delete c.volumes.get("data")!.options[OWNER_OPTION];
    for (const n of c.nodes) for (const l of n.lvs) delete l.tags["glusterfs.owner"];
    newProcess();
    const r = await handlers.volume.check({}, volume({ owner: "proj/other/data" }));
    expect(r.failures?.[0]?.reason).toMatch(
      /by a version that recorded no owner.*import it or choose another name/,
    );
    expect(c.volumes.get("data")!.options[MANAGED_OPTION]).toBe("lab");
  });

  test("no glusterd answering means the name is not known to be free: refused (fail closed)", async () => {
    const c = fresh();
    c.glusterdDown = true;
    const r = await handlers.volume.check({}, volume());
    expect(r.failures?.[0]?.reason).toMatch(/cannot tell whether volume name data is free/);
    c.glusterdDown = false;
    const planned = (await handlers.volume.check({}, volume())).inputs!;
    c.glusterdDown = true;
    await expect(handlers.volume.create(planned)).rejects.toThrow(/cannot tell whether/);
    expect(c.calls).toEqual([]);
  });
});

/** One `pulumi up` of this Volume: check, then create or diff and update. (What one process
 *  remembers is keyed by volume and owner, so the runs of one resource may share a process.) */
async function up(_c: FakeCluster, olds: Inputs | undefined, news: Inputs): Promise<Inputs> {
  const checked = await handlers.volume.check(olds ?? {}, news);
  if (checked.failures) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  if (!olds) return (await handlers.volume.create(checked.inputs!)).outs;
  const d = await handlers.volume.diff("id", olds, checked.inputs!);
  if (d.changes === false) return olds;
  return (await handlers.volume.update("id", olds, checked.inputs!)).outs;
}

async function refresh(state: Inputs): Promise<Inputs> {
  const r = await handlers.volume.read("id", state);
  return r.props ?? state;
}

interface Scenario {
  /** The state before the operation (undefined: nothing yet). */
  setup: (c: FakeCluster) => Promise<Inputs | undefined>;
  /** The operation; returns the new state (undefined after a delete). */
  run: (c: FakeCluster, state: Inputs | undefined) => Promise<Inputs | undefined>;
}

const scenarios: Record<string, Scenario> = {
  create: {
    setup: async () => undefined,
    run: (c, state) => up(c, state, volume({ size: "4Gi" })),
  },
  "expand by add-sets": {
    setup: (c) => up(c, undefined, volume()),
    run: (c, state) => up(c, state, volume({ size: "4Gi" })),
  },
  "expand by grow": {
    setup: (c) => up(c, undefined, volume({ expandMode: "grow" })),
    run: (c, state) => up(c, state, volume({ size: "17Gi", expandMode: "grow" })),
  },
  delete: {
    setup: (c) => up(c, undefined, volume({ size: "4Gi" })),
    run: async (_c, state) => {
      await handlers.volume.delete("id", state!);
      return undefined;
    },
  },
};

describe.each(Object.entries(scenarios))("convergence: %s cut at every step", (_name, scenario) => {
  async function reference(): Promise<{ end: unknown; steps: number }> {
    const c = fresh();
    const state = await scenario.setup(c);
    c.calls.length = 0;
    c.arm(undefined);
    await scenario.run(c, state);
    return { end: c.snapshot(), steps: c.calls.length };
  }

  // "inside": cut within 'volume create', between making the volume and marking it (create only).
  const modes: (Fault["mode"] | "inside")[] = [
    "before",
    "after",
    "rest",
    ...(_name === "create" ? ["inside" as const] : []),
  ];
  test.each(modes)("cut %s step N, then the next run converges to the same end state", async (mode) => {
    const { end, steps } = await reference();
    expect(steps).toBeGreaterThan(1);
    for (let at = 1; at <= steps; at++) {
      for (const refreshFirst of [false, true]) {
        const c = fresh();
        let state = await scenario.setup(c);
        c.arm(mode === "inside" ? { at, mode: "after" } : { at, mode });
        c.cutInsideCreate = mode === "inside";
        let failed = false;
        try {
          state = await scenario.run(c, state);
        } catch {
          failed = true; // Pulumi keeps the state it had
        }
        c.arm(undefined);
        c.cutInsideCreate = false;
        if (failed && refreshFirst && state) state = await refresh(state);
        await scenario.run(c, state);
        const label = `${mode} at step ${at}${refreshFirst ? " (refreshed)" : ""}`;
        expect({ label, end: c.snapshot() }).toEqual({ label, end });
      }
    }
  });
});

describe("check", () => {
  test("keeps the existing bricks when they already give the size", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    newProcess();
    const r = await handlers.volume.check(made, volume());
    expect(r.inputs?.bricks).toEqual(made.bricks);
    expect(await handlers.volume.diff("data", made, r.inputs!)).toEqual({ changes: false });
  });

  test("refresh records bricks a cut expansion added to the volume", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    c.arm({ at: 5, mode: "after" }); // cut right after 'volume add-brick' (after 3 bricks and the start check)
    await expect(up(c, made, volume({ size: "4Gi" }))).rejects.toThrow(/connection lost after step 5/);
    c.arm(undefined);
    const refreshed = await refresh(made);
    expect((refreshed.bricks as unknown[]).length).toBe(6);
    expect(c.volumes.get("data")!.bricks).toHaveLength(6);
  });
});

test("an expansion cut and then taken back: the next up removes the bricks it made", async () => {
  const c = fresh();
  const made = await up(c, undefined, volume());
  const start = c.snapshot();
  c.arm({ at: 3, mode: "before" }); // two of the new set's three bricks made
  await expect(up(c, made, volume({ size: "4Gi" }))).rejects.toThrow(/fault injected at step 3/);
  c.arm(undefined);
  expect(c.nodes.flatMap((n) => n.lvs).filter((l) => l.name.includes("s1b"))).toHaveLength(4);
  await up(c, made, volume()); // the size as it was
  expect(c.snapshot()).toEqual(start);
});

describe("volumes already in state", () => {
  test("made before owner markers: the next up marks it as this resource's; destroy removes it all", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    // What an earlier version left: no owner marker, no owner tags, no owner in state.
    delete c.volumes.get("data")!.options[OWNER_OPTION];
    for (const n of c.nodes) for (const l of n.lvs) delete l.tags["glusterfs.owner"];
    const { owner: _o, ...legacy } = made;
    const next = await up(c, legacy, volume());
    expect(next.owner).toBe("proj/dev/data");
    expect(c.volumes.get("data")!.options[OWNER_OPTION]).toBe("proj/dev/data");
    await handlers.volume.delete("data", next);
    expect(c.volumes.size).toBe(0);
    expect(c.nodes.flatMap((n) => n.lvs)).toEqual([]);
  });

  test("marked for another owner since: check and update refuse, delete leaves it", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    c.volumes.get("data")!.options[OWNER_OPTION] = "proj/other/data";
    const before = c.snapshot();
    const r = await handlers.volume.check(made, volume({ size: "4Gi" }));
    expect(r.failures?.[0]?.reason).toMatch(/now belongs to Volume resource proj\/other\/data/);
    await expect(handlers.volume.update("data", made, { ...made, size: "4Gi" })).rejects.toThrow(
      /now belongs to Volume resource proj\/other\/data; nothing was changed/,
    );
    await expect(handlers.volume.delete("data", made)).rejects.toThrow(/belongs to proj\/other\/data/);
    expect(c.snapshot()).toEqual(before);
  });
});

describe("failure branches of read, update and delete", () => {
  test("delete with a brick node unreachable: fails naming it, changes nothing, the volume stays", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    const node = (made.bricks as { node: string }[])[1]!.node;
    const before = c.snapshot();
    c.calls.length = 0;
    down.add(node);
    newProcess();
    await expect(handlers.volume.delete("data", made)).rejects.toThrow(
      new RegExp(`deleting volume data: cannot reach ${node.replace(/\./g, "\\.")} .*stays in state`),
    );
    expect(c.calls).toEqual([]);
    expect(c.snapshot()).toEqual(before);
  });

  test("delete of a volume already gone (deleted outside Pulumi): its recorded bricks are still removed", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    c.volumes.delete("data");
    await handlers.volume.delete("data", made);
    expect(c.nodes.flatMap((n) => n.lvs)).toEqual([]);
  });

  test("refresh when no glusterd answers: fails (unknown is not 'deleted'), state kept", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    c.glusterdDown = true;
    await expect(handlers.volume.read("data", made)).rejects.toThrow(
      /cannot read it: glusterd answered on no node/,
    );
  });

  test("refresh of a volume deleted outside Pulumi drops it; one stopped outside is brought back by up", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    c.volumes.get("data")!.status = "Stopped";
    const stopped = await refresh(made);
    expect(stopped.status).toBe("Stopped");
    expect(await handlers.volume.diff("data", stopped, { ...stopped, status: undefined })).toEqual({
      changes: true,
    });
    await handlers.volume.update("data", stopped, made);
    expect(c.volumes.get("data")!.status).toBe("Started");
    c.volumes.delete("data");
    expect(await handlers.volume.read("data", made)).toEqual({});
  });

  test("a volume stopped outside Pulumi with a rebalance pending is started before the rebalance runs", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    const live = c.volumes.get("data")!;
    live.status = "Stopped";
    live.options["user.glusterfs-provider.rebalanced"] = "1"; // an expansion's rebalance not finished
    await handlers.volume.update("data", { ...made, status: "Stopped" }, made);
    expect(live.status).toBe("Started");
  });

  test("refresh keeps the options the volume still has, with their live values, and drops the others", async () => {
    const c = fresh();
    const made = await up(
      c,
      undefined,
      volume({ options: { "performance.cache-size": "64MB", "nfs.disable": "on" } }),
    );
    const live = c.volumes.get("data")!.options;
    live["performance.cache-size"] = "128MB";
    delete live["nfs.disable"];
    const r = await handlers.volume.read("data", made);
    expect(r.props!.options).toEqual({ "performance.cache-size": "128MB" });
    expect(r.inputs!.volumeId).toBeUndefined();
    expect(r.inputs!.status).toBeUndefined();
  });

  test("update of a volume that no longer exists: refused, run refresh; nothing changed", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    c.volumes.delete("data");
    const before = c.snapshot();
    await expect(handlers.volume.update("data", made, { ...made, size: "4Gi" })).rejects.toThrow(
      /does not exist on the cluster: run `pulumi refresh`; nothing was changed/,
    );
    expect(c.snapshot()).toEqual(before);
  });

  test("options changed and removed: set and reset on the volume, markers untouched", async () => {
    const c = fresh();
    const made = await up(
      c,
      undefined,
      volume({ options: { "performance.cache-size": "64MB", "nfs.disable": "on" } }),
    );
    await up(c, made, volume({ options: { "performance.cache-size": "256MB" } }));
    const o = c.volumes.get("data")!.options;
    expect(o["performance.cache-size"]).toBe("256MB");
    expect(o["nfs.disable"]).toBeUndefined();
    expect(o[OWNER_OPTION]).toBe("proj/dev/data");
    expect(o[MANAGED_OPTION]).toBe("lab");
  });

  test("create with a node unreachable during the re-check: fails closed before anything is made", async () => {
    const c = fresh();
    const planned = (await handlers.volume.check({}, volume())).inputs!;
    const read = c.readInventory;
    c.readInventory = async (exec, opts) => {
      if (exec.host === "10.0.0.2") throw new Error("10.0.0.2: connect ECONNREFUSED");
      return read(exec, opts);
    };
    await expect(handlers.volume.create(planned)).rejects.toThrow(/10\.0\.0\.2: connect ECONNREFUSED/);
    expect(c.calls).toEqual([]);
  });
});

describe("the remaining handler branches (issue 10)", () => {
  test("create failing and its cleanup failing too: the error says cleanup is incomplete; the next up finishes it", async () => {
    const ref = fresh();
    ref.calls.length = 0;
    await up(ref, undefined, volume());
    const end = ref.snapshot();
    const volumeCreate = ref.calls.findIndex((k) => k.op === "volume.create") + 1;
    expect(volumeCreate).toBeGreaterThan(1); // bricks come first

    const c = fresh();
    const planned = (await handlers.volume.check({}, volume())).inputs!;
    // From 'volume create' on, every mutating step fails: the bricks were made, and cleanup
    // cannot remove them either.
    c.arm({ at: volumeCreate, mode: "rest" });
    const err = await handlers.volume.create(planned).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /fault injected at step \d+ \(volume\.create[\s\S]*\(cleanup after the failure was not complete: [\s\S]*brick\.destroy[\s\S]*run `pulumi up` again to finish\)/,
    );
    expect(c.calls.filter((k) => k.op === "brick.destroy").length).toBeGreaterThan(0); // cleanup tried
    expect(c.nodes.flatMap((n) => n.lvs).length).toBeGreaterThan(0); // and could not
    c.arm(undefined);
    await up(c, undefined, volume());
    expect(c.snapshot()).toEqual(end);
  });

  test("delete meeting recorded bricks now tagged for another owner: those stay, the rest go, the error says why", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    const bricks = made.bricks as { node: string }[];
    const foreignNode = bricks[bricks.length - 1]?.node;
    if (!foreignNode) throw new Error("the volume was made without bricks");
    const foreign = c.node(foreignNode).lvs.filter((l) => l.tags[TAG.owner] !== undefined);
    expect(foreign.length).toBeGreaterThan(0);
    for (const l of foreign) l.tags[TAG.owner] = "0123456789abcdef01234567"; // another Volume's digest
    const kept = JSON.stringify(c.node(foreignNode).lvs);
    await expect(handlers.volume.delete("data", made)).rejects.toThrow(
      /tagged for another Volume resource and were left alone; remove this volume from state/,
    );
    expect(JSON.stringify(c.node(foreignNode).lvs)).toBe(kept);
    for (const n of c.nodes.filter((x) => x.manage !== foreignNode)) expect(n.lvs).toEqual([]);
    expect(c.volumes.has("data")).toBe(false);
  });

  test("an expansion cut before its rebalance: the next up rebalances (and only then), a third does nothing", async () => {
    const c = fresh();
    const small = await up(c, undefined, volume());
    c.calls.length = 0;
    await up(c, small, volume({ size: "4Gi" }));
    const rebalanceAt = c.calls.findIndex((k) => k.op === "volume.rebalance") + 1;
    expect(rebalanceAt).toBeGreaterThan(1);

    const d = fresh();
    const state = await up(d, undefined, volume());
    d.arm({ at: rebalanceAt, mode: "before" });
    await expect(up(d, state, volume({ size: "4Gi" }))).rejects.toThrow(/fault injected/);
    d.arm(undefined);
    const live = d.volumes.get("data");
    expect(live?.options[REBALANCED_OPTION]).not.toBe(String(live?.bricks.length));

    d.calls.length = 0;
    const grown = await up(d, await refresh(state), volume({ size: "4Gi" }));
    expect(d.calls.filter((k) => k.op === "volume.rebalance").map((k) => k.outcome)).toEqual(["ok"]);
    expect(d.calls.filter((k) => k.op === "brick.create" || k.op === "volume.add-bricks")).toEqual([]);
    expect(live?.options[REBALANCED_OPTION]).toBe(String(live?.bricks.length));
    d.calls.length = 0;
    await up(d, grown, volume({ size: "4Gi" }));
    expect(d.calls).toEqual([]);
  });

  test("refresh with a brick node unreachable: read from the others, the recorded bricks kept as they are", async () => {
    const c = fresh();
    const made = await up(c, undefined, volume());
    const bricks = made.bricks as { node: string }[];
    const away = bricks.find((b) => b.node !== bricks[0]?.node)?.node;
    if (!away) throw new Error("the volume's bricks are all on one node");
    down.add(away);
    newProcess();
    const r = await handlers.volume.read("data", made);
    expect(r.props?.bricks).toEqual(made.bricks);
    expect(r.props?.status).toBe("Started");
    expect(r.inputs?.bricks).toEqual(made.bricks);
  });
});
