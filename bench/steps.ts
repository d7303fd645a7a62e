// Where a node's time goes: every step of a volume's life on the lab (pool, devices, bricks,
// volume, expansion with rebalance, options, delete, teardown), each step's wall time, and the
// commands inside the scripts ranked by the time they took (bash xtrace timestamps on the node).
// Run on a clean lab (`npm run lab -- up`); prints figures, asserts nothing.
import type { RemoteExecutor, RemoteScript } from "../provider/core/exec";
import { planBrick } from "../provider/core/brick";
import { DEFAULT_BRICK_ROOT } from "../provider/core/defaults";
import * as n from "../provider/node";
import { MemoryHostKeyStore, SshPool } from "../provider/ssh";
import { labTargets } from "../test/support/node-lab";

const cmdTime = new Map<string, number>();
function traced(inner: RemoteExecutor, log: { step: string; ms: number }[]): RemoteExecutor {
  return {
    host: inner.host,
    async run(script: RemoteScript, opts) {
      const text = `PS4='+@T $EPOCHREALTIME '\nset -x\n` + script.text;
      const t0 = Date.now();
      const r = await inner.run({ ...script, text }, opts);
      log.push({ step: `${inner.host} ${script.step}`, ms: Date.now() - t0 });
      const lines = r.stderr.split("\n").filter((l) => /^\++@T /.test(l));
      for (let i = 0; i + 1 < lines.length; i++) {
        const m = /^\++@T (\S+) (.*)$/.exec(lines[i]!)!;
        const next = Number(/^\++@T (\S+)/.exec(lines[i + 1]!)![1]);
        const cmd = `${script.step}: ${m[2]!.split(" ")[0]}`;
        cmdTime.set(cmd, (cmdTime.get(cmd) ?? 0) + (next - Number(m[1])) * 1000);
      }
      const stderr = r.stderr
        .split("\n")
        .filter((l) => !/^\++@T /.test(l))
        .join("\n");
      return { ...r, stderr };
    },
  };
}

async function main() {
  const t = labTargets().slice(0, 3);
  const pool = new SshPool({ hostKeys: new MemoryHostKeyStore() });
  const log: { step: string; ms: number }[] = [];
  const ex = t.map((x) => traced(pool.executor(x.connection), log));
  const MiB = 1024 * 1024;
  const brick = (set: number, index: number) =>
    planBrick({
      cluster: "prof",
      volume: "pv",
      brickRoot: DEFAULT_BRICK_ROOT,
      device: "/dev/vdb",
      set,
      index,
      role: "data",
      size: 512 * MiB,
    });
  const planned = (set: number) => t.map((x, i) => ({ host: x.storage, path: brick(set, i).path }));
  const durability = { type: "replicate" as const, replica: 3, arbiter: false };
  const phase = async (name: string, f: () => Promise<unknown>) => {
    const t0 = Date.now();
    await f();
    console.log(`PHASE ${name}: ${Date.now() - t0} ms`);
  };
  await phase("inventory x3 (cold)", () => n.onNodes(ex, (e) => n.readInventory(e)));
  await phase("inventory x3 (warm)", () => n.onNodes(ex, (e) => n.readInventory(e)));
  await phase("glusterd check", () => n.onNodes(ex, (e) => n.glusterdCheck(e)));
  await phase("device prepare x3", () =>
    n.onNodes(ex, (e) => n.prepareDevice(e, { cluster: "prof", device: "/dev/vdb" })),
  );
  await phase("peer probe 2", async () => {
    await n.peerProbe(ex[0]!, t[1]!.storage);
    await n.peerProbe(ex[0]!, t[2]!.storage);
  });
  await phase("brick create set0 x3", () => n.onNodes([0, 1, 2], (i) => n.createBrick(ex[i]!, brick(0, i))));
  await phase("volume create", () =>
    n.createVolume(ex[0]!, { cluster: "prof", name: "pv", durability, bricks: planned(0) }),
  );
  await phase("inventory x3 with volume", () => n.onNodes(ex, (e) => n.readInventory(e)));
  await phase("inventory health", () => n.readInventory(ex[0]!, { health: ["pv"] }));
  await phase("brick create set1 x3", () => n.onNodes([0, 1, 2], (i) => n.createBrick(ex[i]!, brick(1, i))));
  await phase("add bricks", () =>
    n.addBricks(ex[0]!, { cluster: "prof", name: "pv", durability, bricks: [...planned(0), ...planned(1)] }),
  );
  await phase("rebalance", () => n.rebalance(ex[0]!, { cluster: "prof", name: "pv" }));
  await phase("set options", () =>
    n.setOptions(ex[0]!, { cluster: "prof", name: "pv", options: { "performance.cache-size": "32MB" } }),
  );
  await phase("volume delete", () => n.deleteVolume(ex[0]!, { cluster: "prof", name: "pv" }));
  await phase("brick destroy x6", () =>
    n.onNodes([0, 1, 2], async (i) => {
      for (const s of [0, 1]) await n.destroyBrick(ex[i]!, brick(s, i));
    }),
  );
  await phase("device remove x3", () =>
    n.onNodes(ex, (e) => n.removeDevice(e, { cluster: "prof", device: "/dev/vdb" })),
  );
  await phase("peer detach 2", async () => {
    await n.peerDetach(ex[0]!, t[2]!.storage);
    await n.peerDetach(ex[0]!, t[1]!.storage);
  });
  for (const l of log) console.log(`STEP ${l.ms} ms ${l.step}`);
  const top = [...cmdTime.entries()].sort((a, b) => b[1] - a[1]).slice(0, 45);
  for (const [c, ms] of top) console.log(`CMD ${ms.toFixed(0)} ms ${c}`);
  await pool.closeAll();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
