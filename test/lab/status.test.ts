// Live inspection and health on refresh (issue 12), on the lab's real VMs: a replica-3 volume made
// by the Volume handler, files written through a FUSE mount, then one brick's glusterfsd killed
// and more files written. `pulumi-glusterfs status --json` (over SSH with the lab's pinned host
// keys, one round trip per node) shows that brick offline and heal pending, and the Volume's read
// (refresh) reports 2/3 bricks online; `gluster volume start VOL force` brings the brick back,
// self-heal empties the queue, and both report the volume healthy again.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { runStatus } from "../../provider/cli/status";
import type { ExecCounters, RemoteExecutor } from "../../provider/core/exec";
import type { VolumeInputs } from "../../provider/core/model";
import * as n from "../../provider/node";
import { createDeps, handlersFor } from "../../provider/resources";
import { type ClusterStatus, readClusterStatus } from "../../provider/resources/status";
import { MemoryHostKeyStore, SshPool } from "../../provider/ssh";
import { type LabStatus, labExec, labReset, labStatus } from "../support/lab";
import { type LabTarget, labTargets } from "../support/node-lab";

const handlers = handlersFor(createDeps());

jest.setTimeout(1_200_000);

const CLUSTER = "lab";
const VOL = "vitals";
let status: LabStatus;
let t: LabTarget[];
let pool: SshPool;
let ex: RemoteExecutor[];
let state: Record<string, unknown>;
let dir: string;

async function on(i: number, cmd: string): Promise<string> {
  const r = await ex[i]!.run({ step: "test.status", text: `set -euo pipefail\n${cmd}\n`, readOnly: false });
  if (r.code !== 0) throw new Error(`node ${i + 1}: ${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function volumeInputs(): VolumeInputs {
  return {
    cluster: {
      clusterId: CLUSTER,
      zoneChecking: "strict",
      brickRoot: "/var/lib/glusterfs-bricks",
      expandMode: "add-sets",
    },
    topology: t.map((x, i) => ({
      manageAddress: x.node.name,
      storageAddress: x.storage,
      zone: i + 1,
      tags: {},
      connection: x.connection,
      devices: [{ path: "/dev/vdb", tags: {} }],
    })),
    name: VOL,
    owner: "lab/status/vitals",
    size: "512Mi",
    durability: { type: "replicate", replica: 3 },
    snapshotFactor: 1,
    options: {},
    tagMatch: [],
  };
}

/** Writes files through a FUSE mount of the volume inside the lab namespace. */
function writeFiles(prefix: string, count: number): void {
  const mnt = `/tmp/glusterfs-${VOL}-${process.pid}`;
  const r = labExec(
    [
      "bash",
      "-c",
      `set -euo pipefail; mkdir -p ${mnt}; mount -t glusterfs ${t[0]!.storage}:/${VOL} ${mnt}; trap 'cd /; umount ${mnt}; rmdir ${mnt}' EXIT; ` +
        `for i in $(seq 1 ${count}); do head -c 4096 /dev/urandom > ${mnt}/${prefix}$i; done; sync`,
    ],
    { timeoutMs: 300_000 },
  );
  if (r.code !== 0) throw new Error(`FUSE write failed (${r.code}): ${r.stderr}`);
}

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** `pulumi-glusterfs status --json` against the lab's nodes (through their loopback forwards). */
async function statusJson(
  knownHosts: string,
): Promise<{ code: number; report: ClusterStatus; err: string; counters: ExecCounters }> {
  const out = new Sink();
  const err = new Sink();
  let counters: ExecCounters | undefined;
  const nodes = t.flatMap((x) => ["--node", `${x.connection.host}:${x.connection.port}`]);
  const code = await runStatus(
    [
      ...nodes,
      "--user",
      t[0]!.connection.user!,
      "-i",
      t[0]!.node.privateKeyPath,
      "--known-hosts",
      knownHosts,
      "--json",
    ],
    out,
    err,
    { read: (targets, opts) => readClusterStatus(targets, { ...opts, onCounters: (c) => (counters = c) }) },
  );
  return {
    code,
    report: JSON.parse(out.text || "null") as ClusterStatus,
    err: err.text,
    counters: counters!,
  };
}

/** Pins every node's host key under the address the command dials ("[127.0.0.1]:port"). */
function knownHostsFor(key: (x: LabTarget) => string): string {
  const file = path.join(dir, `known_hosts-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(
    file,
    t.map((x) => `[${x.connection.host}]:${x.connection.port} ${key(x)}`).join("\n") + "\n",
  );
  return file;
}

beforeAll(async () => {
  status = labStatus();
  if (!status.running) throw new Error("the lab is not running");
  t = labTargets(status).slice(0, 3);
  if (t.length < 3) throw new Error("this test needs 3 lab nodes");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "status-lab-"));
  labReset();
  pool = new SshPool({ hostKeys: new MemoryHostKeyStore() });
  ex = t.map((x) => pool.executor(x.connection));
  await n.peerProbe(ex[0]!, t[1]!.storage);
  await n.peerProbe(ex[0]!, t[2]!.storage);
  await n.onNodes(ex, (e) => n.prepareDevice(e, { cluster: CLUSTER, device: "/dev/vdb" }));
  const checked = await handlers.volume.check({}, volumeInputs() as unknown as Record<string, unknown>);
  if (!checked.inputs) throw new Error(JSON.stringify(checked.failures));
  state = (await handlers.volume.create(checked.inputs)).outs;
  writeFiles("before-", 5);
});

afterAll(async () => {
  await pool?.closeAll();
  labReset();
});

const brickOn3 = () => `${t[2]!.storage}:/var/lib/glusterfs-bricks/${VOL}/s0b2/brick`;

test("healthy: status shows 3/3 online with our markers, in one round trip per node", async () => {
  const r = await statusJson(knownHostsFor((x) => x.node.hostKey));
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(r.counters.roundTrips).toBe(3);
  const v = r.report.volumes.find((x) => x.name === VOL)!;
  expect(v.marks).toEqual({ cluster: CLUSTER, owner: "lab/status/vitals" });
  expect(v.health).toMatchObject({ state: "healthy", bricksOnline: 3, bricksTotal: 3, pendingHeal: 0 });
  expect(v.bricks.map((b) => [b.node, b.device, b.lv, b.online, b.marks.owner])).toEqual(
    [0, 1, 2].map((i) => [t[i]!.node.name, "/dev/vdb", `brick_${VOL}_s0b${i}`, true, "matches"]),
  );
  expect(r.report.peers.map((p) => `${p.state} ${p.connectedBy}/${p.askedNodes}`)).toEqual(
    Array(3).fill("Peer in Cluster 3/3"),
  );
  const read = await handlers.volume.read(VOL, state);
  expect(read.props!.health).toEqual({
    state: "healthy",
    bricksOnline: 3,
    bricksTotal: 3,
    offlineBricks: [],
    pendingHeal: 0,
    splitBrain: 0,
    problems: [],
  });
});

test("a host key that does not match stops the command before it reads anything", async () => {
  const wrong = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBy1w2dWcLrVTEKsAg6WIsRZCgbAdNqvrTNR4ZqMWYaN";
  const r = await statusJson(knownHostsFor(() => wrong));
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/host key/i);
});

describe("one brick killed", () => {
  beforeAll(async () => {
    const pid = (await on(2, `pgrep -f 'glusterfsd.*--volfile-id ${VOL}\\.' | head -n1`)).trim();
    expect(pid).toMatch(/^\d+$/);
    await on(
      2,
      `kill ${pid}; for i in $(seq 1 50); do kill -0 ${pid} 2>/dev/null || exit 0; sleep 0.2; done; exit 1`,
    );
    writeFiles("during-", 6);
  });

  test("status --json shows it offline and heal pending on the others", async () => {
    const r = await statusJson(knownHostsFor((x) => x.node.hostKey));
    expect(r.code).toBe(0);
    const v = r.report.volumes.find((x) => x.name === VOL)!;
    expect(v.health).toMatchObject({
      state: "degraded",
      bricksOnline: 2,
      bricksTotal: 3,
      offlineBricks: [brickOn3()],
      splitBrain: 0,
    });
    expect(v.health.pendingHeal).toBeGreaterThanOrEqual(6);
    expect(v.bricks.map((b) => b.online)).toEqual([true, true, false]);
    expect(v.bricks[0]!.pendingHeal).toBeGreaterThanOrEqual(6);
    expect(v.bricks[2]!.pendingHeal).toBeUndefined();
  });

  test("the Volume's read (refresh) reports 2/3 online and the pending entries", async () => {
    const read = await handlers.volume.read(VOL, state);
    expect(read.props!.status).toBe("Started");
    expect(read.props!.health).toMatchObject({
      state: "degraded",
      bricksOnline: 2,
      bricksTotal: 3,
      offlineBricks: [brickOn3()],
      splitBrain: 0,
      problems: [],
    });
    expect((read.props!.health as { pendingHeal: number }).pendingHeal).toBeGreaterThanOrEqual(6);
    expect(read.inputs).not.toHaveProperty("health");
  });

  test("`volume start force` restarts it; self-heal empties the queue; both report healthy", async () => {
    await on(0, `gluster --mode=script volume start ${VOL} force`);
    await on(0, `gluster --mode=script volume heal ${VOL} || true`);
    let health: Record<string, unknown> | undefined;
    for (let i = 0; i < 60; i++) {
      health = (await handlers.volume.read(VOL, state)).props!.health as Record<string, unknown>;
      if (health.state === "healthy") break;
      await new Promise((r) => setTimeout(r, 5000));
    }
    expect(health).toEqual({
      state: "healthy",
      bricksOnline: 3,
      bricksTotal: 3,
      offlineBricks: [],
      pendingHeal: 0,
      splitBrain: 0,
      problems: [],
    });
    const r = await statusJson(knownHostsFor((x) => x.node.hostKey));
    expect(r.report.volumes.find((x) => x.name === VOL)!.bricks.map((b) => b.online)).toEqual([
      true,
      true,
      true,
    ]);
  });
});
