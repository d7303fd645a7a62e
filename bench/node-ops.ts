// Node operations on the lab: replica-3 create (1x3), expand to 2x3 (with rebalance), delete.
// For each phase: wall time, connections, round trips and commands, and beside them the time
// the node commands themselves took on the critical path (per stage, the slowest node's sum
// of script times as the nodes measured them). Prints figures; asserts nothing.
import type { Durability } from "../provider/core/durability";
import type { RemoteExecutor, RemoteResult, RemoteScript, RunOptions } from "../provider/core/exec";
import { planBrick } from "../provider/core/brick";
import { DEFAULT_BRICK_ROOT } from "../provider/core/defaults";
import * as n from "../provider/node";
import { MemoryHostKeyStore, SshPool, type Operation } from "../provider/ssh";
import { labReset, labStatus } from "../test/support/lab";
import { labTargets } from "../test/support/node-lab";

const CLUSTER = "bench";
const VOL = "benchvol";
const MiB = 1024 * 1024;

interface Call {
  host: string;
  step: string;
  remoteMs: number;
  durationMs: number;
}

/** Records every step's own time on the node. */
class Recording implements RemoteExecutor {
  constructor(
    private readonly inner: RemoteExecutor,
    private readonly calls: Call[],
  ) {}
  get host(): string {
    return this.inner.host;
  }
  async run(script: RemoteScript, opts?: RunOptions): Promise<RemoteResult> {
    const r = await this.inner.run(script, opts);
    this.calls.push({
      host: this.host,
      step: script.step,
      remoteMs: r.remoteMs ?? r.durationMs,
      durationMs: r.durationMs,
    });
    return r;
  }
}

interface PhaseFigures {
  name: string;
  wallMs: number;
  criticalMs: number;
  connections: number;
  roundTrips: number;
  commands: number;
}

async function main(): Promise<void> {
  const status = labStatus();
  if (!status.running) throw new Error("the lab is not running: npm run lab -- up");
  const targets = labTargets(status).slice(0, 3);
  const pool = new SshPool({ hostKeys: new MemoryHostKeyStore() });
  const figures: PhaseFigures[] = [];

  /** Runs stages one after another; within a stage, every node's task runs at once. */
  async function phase(
    name: string,
    stages: ((exec: (i: number) => RemoteExecutor) => Promise<unknown>)[],
  ): Promise<void> {
    const op: Operation = pool.operation(name);
    let criticalMs = 0;
    const t0 = Date.now();
    for (const stage of stages) {
      const calls: Call[] = [];
      const execs = targets.map((x) => new Recording(op.executor(x.connection), calls));
      await stage((i) => execs[i]!);
      const perHost = new Map<string, number>();
      for (const c of calls) perHost.set(c.host, (perHost.get(c.host) ?? 0) + c.remoteMs);
      criticalMs += Math.max(0, ...perHost.values());
    }
    const c = op.end();
    figures.push({
      name,
      wallMs: Date.now() - t0,
      criticalMs,
      connections: c.connections,
      roundTrips: c.roundTrips,
      commands: c.commands,
    });
  }

  const brick = (set: number, i: number): n.BrickSpec =>
    planBrick({
      cluster: CLUSTER,
      volume: VOL,
      brickRoot: DEFAULT_BRICK_ROOT,
      device: "/dev/vdb",
      set,
      index: i,
      role: "data",
      size: 1024 * MiB,
    });
  const planned = (set: number) => targets.map((x, i) => ({ host: x.storage, path: brick(set, i).path }));
  const durability: Durability = { type: "replicate", replica: 3, arbiter: false };
  const all = [0, 1, 2];

  // Make sure we start clean.
  {
    const inv = await n.onNodes(targets, (x) => n.readInventory(pool.executor(x.connection)));
    if (inv.some((i) => i.vgs.length > 0 || (i.peers?.length ?? 1) > 1 || (i.volumes?.length ?? 0) > 0)) {
      await pool.closeAll();
      console.log("lab not clean: resetting it");
      labReset();
    }
  }
  await pool.closeAll();
  const runStart = Date.now();
  const before = { ...pool.totals };

  await phase("setup: devices + peers", [
    (x) => n.onNodes(all, (i) => n.prepareDevice(x(i), { cluster: CLUSTER, device: "/dev/vdb" })),
    async (x) => {
      await n.peerProbe(x(0), targets[1]!.storage);
      await n.peerProbe(x(0), targets[2]!.storage);
    },
  ]);
  await phase("create 1x3", [
    (x) => n.onNodes(all, (i) => n.createBrick(x(i), brick(0, i))),
    (x) => n.createVolume(x(0), { cluster: CLUSTER, name: VOL, durability, bricks: planned(0) }),
  ]);
  await phase("expand to 2x3", [
    (x) => n.onNodes(all, (i) => n.createBrick(x(i), brick(1, i))),
    (x) =>
      n.addBricks(x(0), { cluster: CLUSTER, name: VOL, durability, bricks: [...planned(0), ...planned(1)] }),
    (x) => n.rebalance(x(0), { cluster: CLUSTER, name: VOL }),
  ]);
  await phase("delete", [
    (x) => n.deleteVolume(x(0), { cluster: CLUSTER, name: VOL }),
    (x) =>
      n.onNodes(all, async (i) => {
        for (const set of [0, 1]) await n.destroyBrick(x(i), brick(set, i));
      }),
  ]);
  await phase("teardown: devices + peers", [
    (x) => n.onNodes(all, (i) => n.removeDevice(x(i), { cluster: CLUSTER, device: "/dev/vdb" })),
    async (x) => {
      await n.peerDetach(x(0), targets[2]!.storage);
      await n.peerDetach(x(0), targets[1]!.storage);
    },
  ]);
  const runWall = Date.now() - runStart;
  const totalConnections = pool.totals.connections - before.connections;
  await pool.closeAll();

  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log(`node-ops on the lab (${targets.length} nodes, 1 GiB bricks, one SSH pool for the whole run)`);
  console.log(
    `${"phase".padEnd(26)}${pad("wall s", 9)}${pad("critical s", 12)}${pad("ratio", 8)}${pad("conns", 7)}${pad("round trips", 13)}${pad("commands", 10)}`,
  );
  for (const f of figures)
    console.log(
      `${f.name.padEnd(26)}${pad((f.wallMs / 1000).toFixed(1), 9)}${pad((f.criticalMs / 1000).toFixed(1), 12)}${pad((f.wallMs / Math.max(1, f.criticalMs)).toFixed(2), 8)}` +
        `${pad(f.connections, 7)}${pad(f.roundTrips, 13)}${pad(f.commands, 10)}`,
    );
  const wall = figures.reduce((a, f) => a + f.wallMs, 0);
  const crit = figures.reduce((a, f) => a + f.criticalMs, 0);
  console.log(
    `${"whole run".padEnd(26)}${pad((runWall / 1000).toFixed(1), 9)}${pad((crit / 1000).toFixed(1), 12)}${pad((wall / Math.max(1, crit)).toFixed(2), 8)}${pad(totalConnections, 7)}`,
  );
  console.log(
    "critical = per stage, the slowest node's sum of script times measured on the node (date +%s%N around the script)",
  );
  console.log("targets: one connection per node per run; wall time within 1.15x of the critical path");
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
