// The Node, Device and GlusterCluster resources through the registry's plain functions, with
// deps whose executors play back outputs recorded from the lab (test/support/recording-executor):
// every create/read/update/delete path, the failure branches (a node unreachable, a step
// failing, a refusal), and what the generic runtime does around them (engine keys, unknowns,
// replacements, credentials). The Volume's paths run against the node model in
// volume-lifecycle.test.ts; the lab and e2e tiers prove the scripts themselves.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RemoteError } from "../../provider/core/errors";
import { type Deps, type Inputs, createDeps, handlersFor, registry } from "../../provider/resources";
import { UNKNOWN } from "../../provider/resources/handler";
import { TransportError } from "../../provider/ssh";
import { RecordedNodes, failed, ok, out, recorded, refused } from "../support/recording-executor";

const POOL = recorded("gluster-10.3/pool-list-3.xml");
const INVENTORY = recorded("inventory-gluster-1.txt");
/** The inventory of a node whose glusterd is not running (the same node, glusterd stopped). */
const INVENTORY_GLUSTERD_DOWN = INVENTORY.replace(
  "@@begin glusterd\nactive\n",
  "@@begin glusterd\ninactive\n",
);
/** `vgs --reportformat json` of the lab's gfs_lab_vdb (the first report of the recorded LVM output). */
const VGS = recorded("lvm-2.03.16/vgs-lvs-pvs.txt").split("\n  }\n")[0] + "\n  }";
const SELF_UUID = "4916a697-c1d4-4945-8ca6-954c800a3f67";

const glusterdActive = ok(out.section("active", "active"), out.section("version", "glusterfs 10.3"));
const peerState = ok(out.section("pool", POOL));

function setup(): { nodes: RecordedNodes; deps: Deps } {
  const nodes = new RecordedNodes();
  return { nodes, deps: createDeps({ executors: nodes.executors }) };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error("expected a rejection");
  return err;
}

// ------------------------------------------------------------------------------------ Node

const member = (i: number) => ({
  manageAddress: `10.0.0.${i}`,
  storageAddress: `gluster-${i}`,
  connection: { user: "root" },
});
const nodeInputs = (over: Inputs = {}): Inputs => ({
  clusterId: "lab",
  manageAddress: "10.0.0.4",
  storageAddress: "gluster-4",
  zone: 1,
  tags: {},
  connection: { user: "root" },
  members: [member(1), member(3)],
  ...over,
});

describe("Node", () => {
  describe("create", () => {
    test("checks glusterd, probes from the first member that answers, probes back, records the peer", async () => {
      const { nodes, deps } = setup();
      nodes
        .unreachable("10.0.0.1")
        .on("10.0.0.4", "node.glusterd-check", glusterdActive)
        .on("10.0.0.4", "peer.state", peerState)
        .on("10.0.0.3", "peer.probe", ok(out.change("peer probe gluster-4")))
        .on("10.0.0.4", "peer.probe", ok());
      const r = await registry.node.create(deps, nodeInputs());
      expect(r.id).toBe("10.0.0.4");
      expect(r.outs).toEqual({
        ...nodeInputs(),
        peerUuid: SELF_UUID,
        peerState: "in a pool of 3 (2 of 2 other peers connected)",
      });
      expect(nodes.steps()).toEqual([
        "10.0.0.4 node.glusterd-check",
        "10.0.0.4 peer.state",
        "10.0.0.3 peer.probe",
        "10.0.0.4 peer.probe",
        "10.0.0.4 peer.state",
      ]);
      const [probe, back] = nodes.runs.filter((x) => x.step === "peer.probe");
      expect(probe!.text).toContain("host=gluster-4");
      expect(back!.text).toContain("host=gluster-3");
    });

    test("the first node of a pool probes nobody", async () => {
      const { nodes, deps } = setup();
      nodes.on("10.0.0.4", "node.glusterd-check", glusterdActive).on("10.0.0.4", "peer.state", peerState);
      await registry.node.create(deps, nodeInputs({ members: [] }));
      expect(nodes.steps()).toEqual([
        "10.0.0.4 node.glusterd-check",
        "10.0.0.4 peer.state",
        "10.0.0.4 peer.state",
      ]);
    });

    test("glusterd not running: refused with what to do, nothing probed", async () => {
      const { nodes, deps } = setup();
      nodes.on("10.0.0.4", "node.glusterd-check", ok(out.section("active", "inactive", 3)));
      const err = (await rejection(registry.node.create(deps, nodeInputs()))) as RemoteError;
      expect(err).toBeInstanceOf(RemoteError);
      expect(err.message).toMatch(/10\.0\.0\.4: step node\.glusterd-check found glusterd not running/);
      expect(err.hint).toMatch(/systemctl enable --now glusterd/);
      expect(nodes.steps()).toEqual(["10.0.0.4 node.glusterd-check"]);
    });

    test("the node unreachable: fails with the transport's error, nothing run anywhere", async () => {
      const { nodes, deps } = setup();
      nodes.unreachable("10.0.0.4");
      const err = await rejection(registry.node.create(deps, nodeInputs()));
      expect(err).toBeInstanceOf(TransportError);
      expect(err.message).toMatch(/10\.0\.0\.4: step node\.glusterd-check: connect ECONNREFUSED/);
      expect(nodes.runs).toEqual([]);
    });

    test("every member's probe fails: the last failure is reported with its hint, the node is not recorded", async () => {
      const { nodes, deps } = setup();
      const notConnected = {
        code: 1,
        stdout: out.section("x", "") + "@@cause not-connected\n",
        stderr: "gluster peer probe gluster-4: Probe returned with Transport endpoint is not connected",
      };
      nodes
        .on("10.0.0.4", "node.glusterd-check", glusterdActive)
        .on("10.0.0.4", "peer.state", peerState)
        .on("10.0.0.1", "peer.probe", failed("gluster peer probe gluster-4: resolve failed"))
        .on("10.0.0.3", "peer.probe", notConnected);
      const err = (await rejection(registry.node.create(deps, nodeInputs()))) as RemoteError;
      expect(err.node).toBe("10.0.0.3");
      expect(err.step).toBe("peer.probe");
      expect(err.hint).toMatch(/port 24007/);
      expect(nodes.steps().filter((s) => s.endsWith("peer.probe"))).toEqual([
        "10.0.0.1 peer.probe",
        "10.0.0.3 peer.probe",
      ]);
    });
  });

  test("the probe back failing moves on to the next member, which probes and is probed back", async () => {
    const { nodes, deps } = setup();
    nodes
      .on("10.0.0.4", "node.glusterd-check", glusterdActive)
      .on("10.0.0.4", "peer.state", peerState)
      .on("10.0.0.1", "peer.probe", ok(out.change("peer probe gluster-4")))
      .on("10.0.0.3", "peer.probe", ok())
      .on("10.0.0.4", "peer.probe", failed("gluster peer probe gluster-1: resolve failed"), ok());
    await registry.node.create(deps, nodeInputs());
    expect(nodes.steps().filter((s) => s.endsWith("peer.probe"))).toEqual([
      "10.0.0.1 peer.probe",
      "10.0.0.4 peer.probe",
      "10.0.0.3 peer.probe",
      "10.0.0.4 peer.probe",
    ]);
  });

  describe("create with peer.state failing", () => {
    const cliDown = failed("Connection failed. Please check if gluster daemon is operational.", 1);

    test("in the first check: fails naming the step, nothing probed on any node", async () => {
      const { nodes, deps } = setup();
      nodes.on("10.0.0.4", "node.glusterd-check", glusterdActive).on("10.0.0.4", "peer.state", cliDown);
      const err = (await rejection(registry.node.create(deps, nodeInputs()))) as RemoteError;
      expect(err).toBeInstanceOf(RemoteError);
      expect(err.message).toMatch(/10\.0\.0\.4: step peer\.state/);
      expect(nodes.steps()).toEqual(["10.0.0.4 node.glusterd-check", "10.0.0.4 peer.state"]);
    });

    test("after the node joined: fails (nothing recorded), and the re-run probes again and records the peer", async () => {
      const { nodes, deps } = setup();
      nodes
        .on("10.0.0.4", "node.glusterd-check", glusterdActive)
        .on("10.0.0.4", "peer.state", peerState, cliDown, peerState)
        .on("10.0.0.1", "peer.probe", ok(out.change("peer probe gluster-4")))
        .on("10.0.0.4", "peer.probe", ok());
      const err = (await rejection(registry.node.create(deps, nodeInputs()))) as RemoteError;
      expect(err.message).toMatch(/10\.0\.0\.4: step peer\.state/);
      expect(nodes.steps().slice(-3)).toEqual([
        "10.0.0.1 peer.probe",
        "10.0.0.4 peer.probe",
        "10.0.0.4 peer.state",
      ]);
      // The engine recorded nothing, so the next `up` creates again: probing a peer twice is
      // harmless, and this time the peer is read and recorded.
      nodes.runs.length = 0;
      const r = await registry.node.create(deps, nodeInputs());
      expect(r.outs).toMatchObject({ peerUuid: SELF_UUID });
      expect(nodes.steps().filter((s) => s.endsWith("peer.probe"))).toEqual([
        "10.0.0.1 peer.probe",
        "10.0.0.4 peer.probe",
      ]);
    });
  });

  test("read with glusterd not answering fails naming the step (refresh keeps the state)", async () => {
    const { nodes, deps } = setup();
    nodes.on(
      "10.0.0.4",
      "peer.state",
      failed("Connection failed. Please check if gluster daemon is operational."),
    );
    const err = (await rejection(registry.node.read(deps, "10.0.0.4", nodeInputs()))) as RemoteError;
    expect(err.step).toBe("peer.state");
    expect(err.stderr).toMatch(/gluster daemon is operational/);
  });

  test("read and update: the peer as the pool reports it; read gives back the inputs without outputs", async () => {
    const { nodes, deps } = setup();
    nodes.on("10.0.0.4", "peer.state", peerState);
    const state = { ...nodeInputs(), peerUuid: "old", peerState: "old" };
    const r = await registry.node.read(deps, "10.0.0.4", state);
    expect(r.props).toMatchObject({
      peerUuid: SELF_UUID,
      peerState: "in a pool of 3 (2 of 2 other peers connected)",
    });
    expect(r.inputs).toEqual(nodeInputs());
    const u = await registry.node.update(deps, "10.0.0.4", state, nodeInputs({ zone: 2 }));
    expect(u.outs).toMatchObject({ zone: 2, peerUuid: SELF_UUID });
  });

  test("read with the node unreachable fails (refresh keeps the state)", async () => {
    const { nodes, deps } = setup();
    nodes.unreachable("10.0.0.4");
    await expect(registry.node.read(deps, "10.0.0.4", nodeInputs())).rejects.toThrow(TransportError);
  });

  describe("delete", () => {
    test("refused while the node holds bricks (the lab's volume smoke on gluster-1): nothing detached", async () => {
      const { nodes, deps } = setup();
      nodes.on("10.0.0.1", "node.inventory", { stdout: INVENTORY });
      const n = nodeInputs({ manageAddress: "10.0.0.1", storageAddress: "gluster-1", members: [member(2)] });
      const err = (await rejection(registry.node.delete(deps, "10.0.0.1", n))) as RemoteError;
      expect(err.step).toBe("node.leave-pool");
      expect(err.message).toMatch(
        /still holds bricks of volume\(s\) smoke: removing it would lose a replica/,
      );
      expect(nodes.steps()).toEqual(["10.0.0.1 node.inventory"]);
    });

    test("refused when glusterd is down: whether bricks remain is not known (fail closed)", async () => {
      const { nodes, deps } = setup();
      nodes.on("10.0.0.4", "node.inventory", { stdout: INVENTORY_GLUSTERD_DOWN });
      const err = await rejection(registry.node.delete(deps, "10.0.0.4", nodeInputs()));
      expect(err.message).toMatch(/cannot list the Gluster volumes/);
      expect(err.message).toMatch(/not known whether the node still holds bricks/);
      expect(nodes.steps()).toEqual(["10.0.0.4 node.inventory"]);
    });

    test("detaches through the first declared member that succeeds", async () => {
      const { nodes, deps } = setup();
      nodes
        .on("10.0.0.4", "node.inventory", { stdout: INVENTORY })
        .on("10.0.0.1", "peer.detach", failed("gluster peer detach gluster-4: glusterd busy"))
        .on("10.0.0.3", "peer.detach", ok(out.change("peer detach gluster-4")));
      await registry.node.delete(deps, "10.0.0.4", nodeInputs());
      expect(nodes.steps()).toEqual([
        "10.0.0.4 node.inventory",
        "10.0.0.1 peer.detach",
        "10.0.0.3 peer.detach",
      ]);
      expect(nodes.runs[2]!.text).toContain("host=gluster-4");
    });

    test("the last node of the pool leaves without a detach", async () => {
      const { nodes, deps } = setup();
      const alone = INVENTORY.replace(/@@begin peers\n[\s\S]*?@@end peers 0\n/, (m) =>
        m.replace(/<peer>(?:(?!<\/peer>)[\s\S])*?<hostname>gluster-[23]<\/hostname>[\s\S]*?<\/peer>/g, ""),
      );
      nodes.on("10.0.0.4", "node.inventory", { stdout: alone });
      await registry.node.delete(deps, "10.0.0.4", nodeInputs({ members: [] }));
      expect(nodes.steps()).toEqual(["10.0.0.4 node.inventory"]);
    });

    test("the node unreachable: fails and the node stays in state", async () => {
      const { nodes, deps } = setup();
      nodes.unreachable("10.0.0.4");
      await expect(registry.node.delete(deps, "10.0.0.4", nodeInputs())).rejects.toThrow(/ECONNREFUSED/);
      expect(nodes.runs).toEqual([]);
    });
  });
});

// ------------------------------------------------------------------------------------ Device

const deviceInputs = (over: Inputs = {}): Inputs => ({
  clusterId: "lab",
  node: "10.0.0.1",
  path: "/dev/vdb",
  tags: {},
  wipe: false,
  connection: { user: "root" },
  ...over,
});
const LAB_VG = { vgName: "gfs_lab_vdb", sizeBytes: 21336424448, freeBytes: 20245905408 };
const INVENTORY_VG = { vgName: "gfs_lab_vdb", sizeBytes: 21336424448, freeBytes: 20250099712 };

describe("Device", () => {
  test("create: one step makes the tagged volume group, whose size and free space are recorded", async () => {
    const { nodes, deps } = setup();
    nodes.on(
      "10.0.0.1",
      "device.prepare",
      ok(out.change("pvcreate /dev/vdb"), out.change("vgcreate gfs_lab_vdb"), out.section("vg", VGS)),
    );
    const r = await registry.device.create(deps, deviceInputs());
    expect(r).toEqual({ id: "10.0.0.1:/dev/vdb", outs: { ...deviceInputs(), ...LAB_VG } });
    expect(nodes.steps()).toEqual(["10.0.0.1 device.prepare"]);
    expect(nodes.runs[0]!.text).toContain("wipe=0");
  });

  test("create of a disk that is not empty: refused with the opt-in named, nothing recorded", async () => {
    const { nodes, deps } = setup();
    nodes.on(
      "10.0.0.1",
      "device.prepare",
      refused("/dev/vdb is not empty: signature xfs; set wipe to destroy its contents", "not-empty"),
    );
    const err = (await rejection(registry.device.create(deps, deviceInputs()))) as RemoteError;
    expect(err.message).toMatch(/step device\.prepare refused: \/dev\/vdb is not empty/);
    expect(err.hint).toBe("set wipe only if the disk's contents may be destroyed");
  });

  test("create where the step runs but the volume group cannot be read back: fails naming it", async () => {
    const { nodes, deps } = setup();
    nodes.on("10.0.0.1", "device.prepare", ok(out.change("vgcreate gfs_lab_vdb")));
    await expect(registry.device.create(deps, deviceInputs())).rejects.toThrow(
      "device.prepare on 10.0.0.1: could not read volume group gfs_lab_vdb",
    );
  });

  test("create with the node unreachable fails before anything runs", async () => {
    const { nodes, deps } = setup();
    nodes.unreachable("10.0.0.1");
    await expect(registry.device.create(deps, deviceInputs())).rejects.toThrow(TransportError);
    expect(nodes.runs).toEqual([]);
  });

  test("read: the volume group as the node reports it; gone, refresh drops the device", async () => {
    const { nodes, deps } = setup();
    nodes.on("10.0.0.1", "node.inventory", { stdout: INVENTORY });
    const state = { ...deviceInputs(), vgName: "gfs_lab_vdb", sizeBytes: 1, freeBytes: 1 };
    const r = await registry.device.read(deps, "10.0.0.1:/dev/vdb", state);
    expect(r.props).toEqual({ ...deviceInputs(), ...INVENTORY_VG });
    expect(r.inputs).toEqual(deviceInputs());
    const other = await registry.device.read(deps, "10.0.0.1:/dev/vdc", deviceInputs({ path: "/dev/vdc" }));
    expect(other).toEqual({});
  });

  test("update: fresh figures when the group is there, the recorded ones when it cannot be found", async () => {
    const { nodes, deps } = setup();
    nodes.on("10.0.0.1", "node.inventory", { stdout: INVENTORY });
    const olds = { ...deviceInputs(), vgName: "gfs_lab_vdc", sizeBytes: 7, freeBytes: 3 };
    const fresh = await registry.device.update(deps, "id", olds, deviceInputs({ tags: { ssd: "1" } }));
    expect(fresh.outs).toEqual({ ...deviceInputs({ tags: { ssd: "1" } }), ...INVENTORY_VG });
    const kept = await registry.device.update(deps, "id", olds, deviceInputs({ path: "/dev/vdc" }));
    expect(kept.outs).toMatchObject({ vgName: "gfs_lab_vdc", sizeBytes: 7, freeBytes: 3 });
  });

  test("update with the node unreachable fails, so the engine keeps the old state; nothing runs", async () => {
    const { nodes, deps } = setup();
    nodes.unreachable("10.0.0.1");
    const olds = { ...deviceInputs(), ...LAB_VG };
    const err = await rejection(
      registry.device.update(deps, "id", olds, deviceInputs({ tags: { ssd: "1" } })),
    );
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/10\.0\.0\.1: step node\.inventory: connect ECONNREFUSED/);
    expect(nodes.runs).toEqual([]);
  });

  describe("delete", () => {
    test("removes the volume group and the physical volume", async () => {
      const { nodes, deps } = setup();
      nodes.on(
        "10.0.0.1",
        "device.remove",
        ok(out.change("vgremove gfs_lab_vdb"), out.change("pvremove /dev/vdb")),
      );
      await registry.device.delete(deps, "id", deviceInputs());
      expect(nodes.steps()).toEqual(["10.0.0.1 device.remove"]);
    });

    test("refused while bricks remain, saying which and what to do", async () => {
      const { nodes, deps } = setup();
      nodes.on(
        "10.0.0.1",
        "device.remove",
        refused(
          "volume group gfs_lab_vdb still holds logical volumes (brick_smoke_s0b0,tp_smoke_s0b0): delete the bricks first",
        ),
      );
      const err = (await rejection(registry.device.delete(deps, "id", deviceInputs()))) as RemoteError;
      expect(err.message).toMatch(
        /device\.remove refused: device \/dev\/vdb still holds bricks \(brick_smoke_s0b0,tp_smoke_s0b0\): delete the volumes using it first/,
      );
      expect(err.hint).toMatch(/delete or shrink-away the volumes/);
    });

    test("another refusal or a failure passes through unchanged", async () => {
      const { nodes, deps } = setup();
      nodes.on(
        "10.0.0.1",
        "device.remove",
        refused("volume group gfs_lab_vdb is not tagged glusterfs.cluster=lab"),
      );
      await expect(registry.device.delete(deps, "id", deviceInputs())).rejects.toThrow(/is not tagged/);
      nodes.on("10.0.0.1", "device.remove", failed("  Logical volume gfs_lab_vdb/x in use."));
      const err = (await rejection(registry.device.delete(deps, "id", deviceInputs()))) as RemoteError;
      expect(err.exitCode).toBe(1);
      expect(err.stderr).toMatch(/in use/);
    });

    test("the node unreachable: fails and the device stays in state", async () => {
      const { nodes, deps } = setup();
      nodes.unreachable("10.0.0.1");
      await expect(registry.device.delete(deps, "id", deviceInputs())).rejects.toThrow(TransportError);
    });
  });

  test("check: two spellings of one disk in one process are refused; another process starts afresh", async () => {
    const first = setup();
    const h = handlersFor(first.deps);
    expect((await h.device.check({}, deviceInputs())).failures).toBeUndefined();
    const twice = await h.device.check({}, deviceInputs({ path: "/dev/mapper/vdb" }));
    expect(twice.failures).toEqual([
      { property: "path", reason: expect.stringContaining("/dev/vdb is another Device of node 10.0.0.1") },
    ]);
    const other = handlersFor(setup().deps);
    expect(
      (await other.device.check({}, deviceInputs({ path: "/dev/mapper/vdb" }))).failures,
    ).toBeUndefined();
    expect(first.nodes.runs).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------ GlusterCluster

describe("GlusterCluster", () => {
  test("makes nothing on the nodes: create, read, update and delete only record the policy", async () => {
    const { nodes, deps } = setup();
    const c = {
      clusterId: "lab",
      zoneChecking: "strict",
      brickRoot: "/var/lib/glusterfs-bricks",
      expandMode: "add-sets",
    };
    expect(await registry.cluster.create(deps, c)).toEqual({ id: "lab", outs: c });
    expect(await registry.cluster.read(deps, "lab", c)).toEqual({ id: "lab", props: c, inputs: c });
    expect(await registry.cluster.update(deps, "lab", c, { ...c, zoneChecking: "prefer" })).toEqual({
      outs: { ...c, zoneChecking: "prefer" },
    });
    await registry.cluster.delete(deps, "lab", c);
    expect(nodes.runs).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------ the runtime

describe("the generic runtime (what the engine calls)", () => {
  test("check: the engine's __provider is kept on checked inputs and never reaches a declaration", async () => {
    const { deps } = setup();
    const seen: Inputs[] = [];
    const create = registry.cluster.create;
    const h = handlersFor(deps);
    const c = { clusterId: "lab", __provider: "serialized" };
    const r = await h.cluster.check({}, c);
    expect(r.inputs).toMatchObject({ clusterId: "lab", zoneChecking: "strict", __provider: "serialized" });
    try {
      registry.cluster.create = async (d, inputs) => (seen.push(inputs), create(d, inputs));
      const made = await handlersFor(deps).cluster.create(r.inputs!);
      expect(made.outs.__provider).toBeUndefined();
      expect(seen[0]!.__provider).toBeUndefined();
    } finally {
      registry.cluster.create = create;
    }
  });

  test("check in preview: an unknown address is not validated nor dialled; known values still are", async () => {
    const { nodes, deps } = setup();
    const h = handlersFor(deps);
    const r = await h.node.check({}, nodeInputs({ manageAddress: UNKNOWN }));
    expect(r.failures).toBeUndefined();
    expect(r.inputs!.manageAddress).toBe(UNKNOWN);
    const bad = await h.node.check({}, nodeInputs({ manageAddress: UNKNOWN, zone: -1 }));
    expect(bad.failures?.map((f) => f.property)).toEqual(["zone"]);
    const device = await h.device.check({}, deviceInputs({ node: UNKNOWN }));
    expect(device.inputs).toMatchObject({ node: UNKNOWN, path: "/dev/vdb" });
    expect(nodes.runs).toEqual([]);
  });

  test("diff: identity changes replace (node and device: delete first), others update, members alone do not", async () => {
    const h = handlersFor(setup().deps);
    const n = nodeInputs({ __provider: "a" });
    expect(await h.node.diff("id", n, { ...n, __provider: "b" })).toEqual({ changes: false });
    expect(await h.node.diff("id", n, { ...n, storageAddress: "gluster-9" })).toEqual({
      replaces: ["storageAddress"],
      deleteBeforeReplace: true,
    });
    expect(await h.node.diff("id", n, { ...n, zone: 2 })).toEqual({ changes: true });
    expect(await h.node.diff("id", n, { ...n, members: [member(1)] })).toEqual({ changes: false });
    const d = deviceInputs();
    expect(await h.device.diff("id", d, { ...d, path: "/dev/vdc" })).toEqual({
      replaces: ["path"],
      deleteBeforeReplace: true,
    });
    expect(await h.device.diff("id", d, { ...d, wipe: true })).toEqual({ changes: true });
    const c = { clusterId: "a", zoneChecking: "strict" };
    expect(await h.cluster.diff("id", c, { ...c, clusterId: "b" })).toEqual({ replaces: ["clusterId"] });
    expect(await h.cluster.diff("id", c, { ...c, zoneChecking: "none" })).toEqual({ changes: true });
  });

  test("credentials reach the executor inside the connection, the stack's default where none is given, and never the outputs", async () => {
    const nodes = new RecordedNodes();
    const dialled: Inputs[] = [];
    const deps = createDeps({
      executors: (t) => (dialled.push({ host: t.manageAddress, ...t.connection }), nodes.executors(t)),
      stack: { password: "stack-Passw0rd-1" },
    });
    nodes
      .on("10.0.0.4", "node.glusterd-check", glusterdActive)
      .on("10.0.0.4", "peer.state", peerState)
      .on("10.0.0.1", "peer.probe", ok())
      .on("10.0.0.4", "peer.probe", ok());
    const h = handlersFor(deps);
    const inputs = nodeInputs({
      members: [member(1)],
      credentials: { "10.0.0.4": { privateKey: "node-4-KEY-material" } },
      __provider: "serialized",
    });
    const r = await h.node.create(inputs);
    expect(dialled.find((c) => c.host === "10.0.0.4")).toMatchObject({ privateKey: "node-4-KEY-material" });
    expect(dialled.find((c) => c.host === "10.0.0.4")!.password).toBeUndefined();
    expect(dialled.find((c) => c.host === "10.0.0.1")).toMatchObject({ password: "stack-Passw0rd-1" });
    expect(r.outs.connection).toEqual({ user: "root" });
    expect(r.outs.credentials).toEqual({ "10.0.0.4": { privateKey: "node-4-KEY-material" } });
    expect(JSON.stringify(r.outs)).not.toContain("stack-Passw0rd-1");
  });

  test("privateKeyPath: the key file is read when dialling (the stack default does not override it); only the path is in the outputs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handlers-key-"));
    try {
      const keyFile = path.join(dir, "id_ed25519");
      fs.writeFileSync(keyFile, "file-KEY-material-4\n", { mode: 0o600 });
      const nodes = new RecordedNodes();
      const dialled: Inputs[] = [];
      const deps = createDeps({
        executors: (t) => (dialled.push({ host: t.manageAddress, ...t.connection }), nodes.executors(t)),
        stack: { password: "stack-Passw0rd-2" },
      });
      nodes.on("10.0.0.1", "node.inventory", { stdout: INVENTORY });
      const device = deviceInputs({ connection: { user: "root", privateKeyPath: keyFile } });
      const r = await handlersFor(deps).device.update("id", { ...device, ...LAB_VG }, device);
      expect(dialled).toEqual([
        { host: "10.0.0.1", user: "root", privateKeyPath: keyFile, privateKey: "file-KEY-material-4\n" },
      ]);
      expect(r.outs.connection).toEqual({ user: "root", privateKeyPath: keyFile });
      expect(r.outs.credentials).toBeUndefined();
      expect(JSON.stringify(r.outs)).not.toContain("KEY-material");

      // A file that cannot be read: refused naming the field, the path and what is needed; nothing run.
      nodes.runs.length = 0;
      const missing = deviceInputs({
        connection: { user: "root", privateKeyPath: path.join(dir, "absent") },
      });
      const err = await rejection(handlersFor(deps).device.update("id", { ...missing, ...LAB_VG }, missing));
      expect(err.message).toContain(`connection.privateKeyPath: invalid value "${path.join(dir, "absent")}"`);
      expect(err.message).toContain("a readable private key file");
      expect(nodes.runs).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a failure's message never carries a credential", async () => {
    const nodes = new RecordedNodes();
    const deps = createDeps({ executors: nodes.executors, stack: { password: "stack-Passw0rd-2" } });
    nodes.on(
      "10.0.0.4",
      "node.glusterd-check",
      failed("sudo: password stack-Passw0rd-2 refused for node-4-Secret"),
    );
    const h = handlersFor(deps);
    const inputs = nodeInputs({ credentials: { "10.0.0.4": { password: "node-4-Secret" } } });
    const err = await rejection(h.node.create(inputs));
    expect(err.message).not.toMatch(/stack-Passw0rd-2|node-4-Secret/);
    expect(err.message).toMatch(/\[redacted\]/);
  });
});
