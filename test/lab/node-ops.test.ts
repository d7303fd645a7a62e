// Node operations against the real lab VMs: for every operation, run it and check the live
// state with independent commands, run it again (no change), cut it halfway (dropped
// connection, failed step) and run it again (converges, nothing orphaned). Then the data test:
// a replica-3 volume, FUSE-mounted inside the lab namespace, written, expanded, rebalanced,
// verified by checksum, destroyed, and nothing left on the nodes.
import type { Durability } from "../../provider/core/durability";
import type { RemoteExecutor } from "../../provider/core/exec";
import { RemoteError } from "../../provider/core/errors";
import { type BrickPlacement, planBrick } from "../../provider/core/brick";
import { DEFAULT_BRICK_ROOT } from "../../provider/core/defaults";
import * as n from "../../provider/node";
import { MemoryHostKeyStore, SshPool, TransportError } from "../../provider/ssh";
import { type LabStatus, labExec, labReset, labStatus } from "../support/lab";
import { type LabTarget, labTargets } from "../support/node-lab";

jest.setTimeout(900_000);

const CLUSTER = "lab";
const VOL = "nodeops";
const MiB = 1024 * 1024;

let status: LabStatus;
let t: LabTarget[];
let pool: SshPool;
let ex: RemoteExecutor[];

/** A shell command on node i through our own transport (the test's independent view). */
async function on(i: number, cmd: string): Promise<string> {
  const r = await ex[i]!.run({ step: "test.check", text: cmd, readOnly: true });
  if (r.code !== 0) throw new Error(`node ${i + 1}: ${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Starts fn on a pool of its own and drops that pool's connections after ms; fn may or may not finish. */
async function cutAfter<T>(
  ms: number,
  fn: (exec: (i: number) => RemoteExecutor) => Promise<T>,
): Promise<unknown> {
  const p = new SshPool({ hostKeys: new MemoryHostKeyStore(), readRetries: 0 });
  const execs = t.map((x) => p.executor(x.connection));
  const run = fn((i) => execs[i]!).then(
    (v) => ({ finished: v }),
    (e: unknown) => ({ error: e }),
  );
  await new Promise((r) => setTimeout(r, ms));
  await p.closeAll();
  const outcome = await run;
  // Give the node a moment to notice the hang-up and stop the script.
  await new Promise((r) => setTimeout(r, 1500));
  return outcome;
}

/** A brick as the core plans it (the one record), plus the builder's own options. */
const brick = (
  set: number,
  index: number,
  extra: Partial<BrickPlacement> & Pick<n.BrickSpec, "gid"> = {},
): n.BrickSpec => {
  const { gid, ...placed } = extra;
  return {
    ...planBrick({
      cluster: CLUSTER,
      volume: VOL,
      brickRoot: DEFAULT_BRICK_ROOT,
      device: "/dev/vdb",
      set,
      index,
      role: "data",
      size: 512 * MiB,
      ...placed,
    }),
    ...(gid !== undefined ? { gid } : {}),
  };
};
const planned = (set: number) => t.map((x, i) => ({ host: x.storage, path: brick(set, i).path }));
const durability: Durability = { type: "replicate", replica: 3, arbiter: false };

async function cleanNodes(): Promise<boolean> {
  const inv = await n.onNodes(ex, (e) => n.readInventory(e));
  return inv.every(
    (i) => i.vgs.length === 0 && (i.peers?.length ?? 1) === 1 && (i.volumes?.length ?? 0) === 0,
  );
}

beforeAll(async () => {
  status = labStatus();
  if (!status.running) throw new Error("the lab is not running");
  t = labTargets(status).slice(0, 3);
  if (t.length < 3) throw new Error("these tests need 3 lab nodes");
  pool = new SshPool({ hostKeys: new MemoryHostKeyStore() });
  ex = t.map((x) => pool.executor(x.connection));
  if (!(await cleanNodes())) {
    await pool.closeAll();
    labReset();
  }
});

afterAll(async () => {
  await pool?.closeAll();
  labReset(); // leave the lab clean for whoever comes next
});

describe("inventory and glusterd", () => {
  test("one round trip and one connection per node", async () => {
    const op = pool.operation("inventory");
    const inv = await n.onNodes(t, (x) => n.readInventory(op.executor(x.connection)));
    const c = op.end();
    expect(c.roundTrips).toBe(3);
    expect(c.connections).toBeLessThanOrEqual(3);
    for (const [i, v] of inv.entries()) {
      expect(v.hostname).toBe(t[i]!.node.name);
      expect(v.glusterdActive).toBe(true);
      expect(v.glusterUuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(v.peers?.map((p) => p.hostname)).toEqual(["localhost"]);
      expect(v.vgs).toEqual([]);
      expect(v.problems).toEqual([]);
    }
  });

  test("glusterd check", async () => {
    await expect(n.glusterdCheck(ex[0]!)).resolves.toEqual({ active: true, version: "10.3" });
  });
});

describe("devices", () => {
  test("prepare: PV + VG with 4 MiB extents and our tags; again: no change", async () => {
    const first = await n.onNodes(ex, (e) => n.prepareDevice(e, { cluster: CLUSTER, device: "/dev/vdb" }));
    first.forEach((r) => expect(r.changes).toEqual(["pvcreate /dev/vdb", "vgcreate gfs_lab_vdb"]));
    const live = await on(
      0,
      "vgs --noheadings --units b --nosuffix -o vg_name,vg_extent_size,vg_tags gfs_lab_vdb; pvs --noheadings --units k -o pe_start /dev/vdb; pvs --noheadings -o pv_mda_size --units m /dev/vdb",
    );
    expect(live.split(/\s+/).filter(Boolean)).toEqual([
      "gfs_lab_vdb",
      "4194304",
      "glusterfs.cluster=lab,glusterfs.device=/dev/vdb",
      expect.stringMatching(/^\d+\.\d+k$/),
      expect.stringMatching(/^12[78]\.\d+m$/),
    ]);
    expect(Number(live.split(/\s+/).filter(Boolean)[3]!.replace("k", "")) % 256).toBe(0);
    const again = await n.onNodes(ex, (e) => n.prepareDevice(e, { cluster: CLUSTER, device: "/dev/vdb" }));
    again.forEach((r) => expect(r.changes).toEqual([]));
    expect(again[0]!.volumeGroup).toMatchObject({
      name: "gfs_lab_vdb",
      extentBytes: 4 * MiB,
      tags: { "glusterfs.cluster": CLUSTER },
    });
  });

  test("a disk with a filesystem is refused unless wiping is opted in", async () => {
    await on(1, "mkfs.ext4 -q -F /dev/vdc");
    expect(await n.inspectDevice(ex[1]!, { device: "/dev/vdc" })).toEqual([
      { kind: "signatures", detail: expect.stringMatching(/^ext4@/) },
    ]);
    const err = await n
      .prepareDevice(ex[1]!, { cluster: CLUSTER, device: "/dev/vdc" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).message).toMatch(/refused: .*not empty: signatures ext4@.*set wipe/);
    expect(await on(1, "blkid -p -s TYPE -o value /dev/vdc")).toBe("ext4\n"); // untouched
    const wiped = await n.prepareDevice(ex[1]!, { cluster: CLUSTER, device: "/dev/vdc", wipe: true });
    expect(wiped.changes).toEqual(["wipefs /dev/vdc", "pvcreate /dev/vdc", "vgcreate gfs_lab_vdc"]);
  });

  test("a mounted disk is refused even with wipe", async () => {
    await on(2, "mkfs.xfs -q -f /dev/vdc && mkdir -p /mnt/busy && mount /dev/vdc /mnt/busy");
    const err = await n
      .prepareDevice(ex[2]!, { cluster: CLUSTER, device: "/dev/vdc", wipe: true })
      .catch((e: unknown) => e);
    expect((err as RemoteError).message).toMatch(/in use: .*mounted \/mnt\/busy/);
    await on(2, "umount /mnt/busy && wipefs -q -a /dev/vdc");
  });

  test("prepare cut off by a dropped connection converges on the next run", async () => {
    await cutAfter(900, (x) => n.prepareDevice(x(0), { cluster: CLUSTER, device: "/dev/vdc" }));
    const r = await n.prepareDevice(ex[0]!, { cluster: CLUSTER, device: "/dev/vdc" });
    expect(r.volumeGroup).toMatchObject({ name: "gfs_lab_vdc", tags: { "glusterfs.device": "/dev/vdc" } });
    expect((await n.prepareDevice(ex[0]!, { cluster: CLUSTER, device: "/dev/vdc" })).changes).toEqual([]);
  });

  test("grow: nothing to do when the disk did not grow", async () => {
    expect((await n.growDevice(ex[0]!, { cluster: CLUSTER, device: "/dev/vdc" })).changes).toEqual([]);
  });

  test("grow after the disk grew: pvresize, more free extents; again: no change", async () => {
    // A loop device stands in for a disk that grows (losetup -c re-reads its size).
    const loop = (
      await on(2, "truncate -s 1G /var/tmp/grow.img && losetup --find --show /var/tmp/grow.img")
    ).trim();
    try {
      const spec = { cluster: CLUSTER, device: loop };
      const before = await n.prepareDevice(ex[2]!, spec);
      expect((await n.growDevice(ex[2]!, spec)).changes).toEqual([]);
      await on(2, `truncate -s 2G /var/tmp/grow.img && losetup -c ${loop}`);
      const grown = await n.growDevice(ex[2]!, spec);
      expect(grown.changes).toEqual([`pvresize ${loop}`]);
      expect(grown.volumeGroup!.freeExtents - before.volumeGroup!.freeExtents).toBeGreaterThanOrEqual(255);
      expect((await n.growDevice(ex[2]!, spec)).changes).toEqual([]);
      expect((await n.removeDevice(ex[2]!, spec)).changes).toEqual([
        `vgremove ${brick(0, 0, { device: loop }).vg}`,
        `pvremove ${loop}`,
      ]);
    } finally {
      await on(2, `losetup -d ${loop}; rm -f /var/tmp/grow.img`);
    }
  });

  test("remove: VG and PV gone; again: no change", async () => {
    for (const i of [0, 1]) {
      expect((await n.removeDevice(ex[i]!, { cluster: CLUSTER, device: "/dev/vdc" })).changes).toEqual([
        "vgremove gfs_lab_vdc",
        "pvremove /dev/vdc",
      ]);
      expect((await n.removeDevice(ex[i]!, { cluster: CLUSTER, device: "/dev/vdc" })).changes).toEqual([]);
    }
    expect(await on(0, "pvs --noheadings -o pv_name /dev/vdc 2>/dev/null || echo none")).toBe("none\n");
  });
});

describe("peers", () => {
  test("probe from a member; again: no change; state", async () => {
    expect((await n.peerProbe(ex[0]!, t[1]!.storage)).changes).toEqual([`peer probe ${t[1]!.storage}`]);
    expect((await n.peerProbe(ex[0]!, t[1]!.storage)).changes).toEqual([]);
    const peers = await n.peerState(ex[1]!);
    expect(peers.map((p) => [p.hostname, p.connected])).toEqual(
      expect.arrayContaining([
        [t[0]!.storage, true],
        ["localhost", true],
      ]),
    );
  });

  test("a probe cut off halfway converges on the next run", async () => {
    await cutAfter(400, (x) => n.peerProbe(x(0), t[2]!.storage));
    await n.peerProbe(ex[0]!, t[2]!.storage);
    const peers = await n.peerState(ex[0]!);
    expect(
      peers
        .filter((p) => !p.self)
        .map((p) => [p.hostname, p.stateStr, p.connected])
        .sort(),
    ).toEqual([
      [t[1]!.storage, "Peer in Cluster", true],
      [t[2]!.storage, "Peer in Cluster", true],
    ]);
  });
});

describe("bricks", () => {
  test("create: thin pool + thin LV with tags, XFS, mount options, one fstab line, brick dir; again: no change", async () => {
    const first = await n.onNodes([0, 1, 2], (i) =>
      n.createBrick(ex[i]!, brick(0, i, i === 0 ? { gid: 2000 } : {})),
    );
    first.forEach((r) =>
      expect(r.changes).toEqual(expect.arrayContaining(["mkfs.xfs " + r.device, "mount " + r.ref.mount])),
    );
    const live = await on(
      0,
      `lvs --noheadings -o lv_name,lv_tags,pool_lv gfs_lab_vdb | sort
findmnt -n -o SOURCE,OPTIONS --mountpoint /var/lib/glusterfs-bricks/${VOL}/s0b0
grep -c ' /var/lib/glusterfs-bricks/${VOL}/s0b0 ' /etc/fstab
xfs_info /var/lib/glusterfs-bricks/${VOL}/s0b0 | grep -o 'isize=512'
stat -c '%g %a' /var/lib/glusterfs-bricks/${VOL}/s0b0/brick`,
    );
    const lines = live
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    expect(lines[0]).toEqual([
      `brick_${VOL}_s0b0`,
      `glusterfs.brick=s0b0,glusterfs.role=data,glusterfs.volume=${VOL}`,
      `tp_${VOL}_s0b0`,
    ]);
    expect(lines[1]).toEqual([
      `tp_${VOL}_s0b0`,
      `glusterfs.brick=s0b0,glusterfs.role=data,glusterfs.volume=${VOL}`,
    ]);
    expect(lines[2]![0]).toBe(`/dev/mapper/gfs_lab_vdb-brick_${VOL}_s0b0`);
    expect(lines[2]![1]!.split(",")).toEqual(expect.arrayContaining(["rw", "inode64", "noatime", "nouuid"]));
    expect(lines[3]).toEqual(["1"]);
    expect(lines[4]).toEqual(["isize=512"]);
    expect(lines[5]).toEqual(["2000", "2775"]);
    const again = await n.onNodes([0, 1, 2], (i) =>
      n.createBrick(ex[i]!, brick(0, i, i === 0 ? { gid: 2000 } : {})),
    );
    again.forEach((r) => expect(r.changes).toEqual([]));
  });

  test("arbiter bricks get a raised maxpct", async () => {
    const r = await n.createBrick(ex[1]!, brick(7, 1, { role: "arbiter", size: 320 * MiB }));
    expect(await on(1, `xfs_info ${r.ref.mount} | grep -o 'imaxpct=[0-9]*'`)).toBe("imaxpct=100\n");
    expect(await on(1, `lvs --noheadings -o lv_tags gfs_lab_vdb/${r.ref.lv}`)).toMatch(
      /glusterfs.role=arbiter/,
    );
    await n.destroyBrick(ex[1]!, r.ref);
  });

  test("create cut off at any point converges; destroy then leaves nothing", async () => {
    for (const ms of [700, 5000]) {
      await cutAfter(ms, (x) => n.createBrick(x(0), brick(9, 0)));
      const r = await n.createBrick(ex[0]!, brick(9, 0));
      expect(r.sizeBytes).toBe(512 * MiB);
      expect((await n.createBrick(ex[0]!, brick(9, 0))).changes).toEqual([]);
      await cutAfter(ms / 2, (x) => n.destroyBrick(x(0), r.ref));
      await n.destroyBrick(ex[0]!, r.ref);
      expect((await n.destroyBrick(ex[0]!, r.ref)).changes).toEqual([]);
      expect(
        await on(
          0,
          `lvs --noheadings -o lv_name gfs_lab_vdb | grep -c _s9b0 || true; grep -c s9b0 /etc/fstab || true; findmnt -n /var/lib/glusterfs-bricks/${VOL}/s9b0 | wc -l; ls -d /var/lib/glusterfs-bricks/${VOL}/s9b0 2>/dev/null | wc -l`,
        ),
      ).toBe("0\n0\n0\n0\n");
    }
  });

  test("grow in place: pool, LV and XFS; again: no change; shrinking is refused", async () => {
    const ref = brick(0, 0);
    const g = await n.growBrick(ex[0]!, ref, { sizeBytes: 768 * MiB });
    expect(g.changes).toEqual([
      `lvextend gfs_lab_vdb/${ref.pool}`,
      `lvextend gfs_lab_vdb/${ref.lv}`,
      `xfs_growfs ${ref.mount}`,
    ]);
    expect(g.sizeBytes).toBe(768 * MiB);
    const fsBytes = Number(await on(0, `df -B1 --output=size ${ref.mount} | tail -n1`));
    expect(fsBytes).toBeGreaterThan(700 * MiB);
    expect((await n.growBrick(ex[0]!, ref, { sizeBytes: 768 * MiB })).changes).toEqual([]);
    await expect(n.growBrick(ex[0]!, ref, { sizeBytes: 256 * MiB })).rejects.toThrow(
      /shrinking .* is not supported/,
    );
  });
});

describe("concurrent steps on one node", () => {
  /** /etc/fstab as lines, a final newline ending the last line. */
  const linesOf = (text: string) => (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");

  test("K concurrent brick creates, then K concurrent destroys, from two provider processes: /etc/fstab exactly right", async () => {
    const K = 4;
    // Two pools stand for two provider processes (two stacks); each runs its steps in parallel
    // over its one connection, like the engine does with independent resources.
    const other = new SshPool({ hostKeys: new MemoryHostKeyStore() });
    const execs = [ex[0]!, other.executor(t[0]!.connection)];
    try {
      await n.prepareDevice(ex[0]!, { cluster: CLUSTER, device: "/dev/vdb" });
      const original = await on(0, "cat /etc/fstab");
      const specs = Array.from({ length: K }, (_, i) => brick(20 + i, 0));
      const made = await Promise.all(specs.map((s, i) => n.createBrick(execs[i % 2]!, s)));
      const ours = made.map((r) => `${r.device} ${r.ref.mount} xfs ${n.MOUNT_OPTIONS} 1 2`);

      const afterCreate = await on(0, "cat /etc/fstab");
      const lines = linesOf(afterCreate);
      expect(lines.filter((l) => !ours.includes(l))).toEqual(linesOf(original));
      expect(lines.filter((l) => ours.includes(l)).sort()).toEqual([...ours].sort());
      expect(afterCreate.startsWith(original)).toBe(true); // every original byte, in place
      for (const r of made)
        expect(await on(0, `findmnt -n -o TARGET --mountpoint ${r.ref.mount}`)).toBe(`${r.ref.mount}\n`);

      const destroyed = await Promise.all(made.map((r, i) => n.destroyBrick(execs[i % 2]!, r.ref)));
      destroyed.forEach((d, i) =>
        expect(d.changes).toEqual(
          expect.arrayContaining([`umount ${made[i]!.ref.mount}`, `fstab-remove ${made[i]!.ref.mount}`]),
        ),
      );
      expect(await on(0, "cat /etc/fstab")).toBe(original); // byte for byte
      expect(
        await on(
          0,
          `ls -A /etc | grep -c glusterfs-provider || true
lvs --noheadings -o lv_name gfs_lab_vdb | grep -c '_s2[0-9]b0' || true
findmnt -n -l -o TARGET | grep -c '/s2[0-9]b0$' || true`,
        ),
      ).toBe("0\n0\n0\n");
    } finally {
      await other.closeAll();
    }
  });
});

describe("volume lifecycle with data", () => {
  const files = 40;
  const mountAndRun = (script: string) => {
    const dir = `/tmp/glusterfs-provider-lab-${process.pid}`;
    const r = labExec(
      [
        "bash",
        "-c",
        `set -euo pipefail; mkdir -p ${dir}; mount -t glusterfs ${t[0]!.storage}:/${VOL} ${dir}; trap 'cd /; umount ${dir}; rmdir ${dir}' EXIT; cd ${dir}; ${script}`,
      ],
      { timeoutMs: 300_000 },
    );
    if (r.code !== 0) throw new Error(`mount/run failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };

  test("create fails while a peer's glusterd is down, then converges", async () => {
    await on(2, "systemctl stop glusterd");
    try {
      const err = await n
        .createVolume(ex[0]!, { cluster: CLUSTER, name: VOL, durability, bricks: planned(0) })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteError);
    } finally {
      await on(2, "systemctl start glusterd");
    }
    // Wait until the peer is connected again, then re-run the whole create: bricks, then volume.
    await n.peerProbe(ex[0]!, t[2]!.storage);
    await n.onNodes([0, 1, 2], (i) => n.createBrick(ex[i]!, brick(0, i, i === 0 ? { gid: 2000 } : {})));
    const r = await n.createVolume(ex[0]!, {
      cluster: CLUSTER,
      name: VOL,
      durability,
      bricks: planned(0),
      options: { "performance.cache-size": "32MB" },
    });
    expect(r.info).toMatchObject({ status: "Started", brickCount: 3, replicaCount: 3 });
    expect(r.info?.options).toMatchObject({
      "user.glusterfs-provider.managed": CLUSTER,
      "performance.cache-size": "32MB",
    });
    const again = await n.createVolume(ex[0]!, {
      cluster: CLUSTER,
      name: VOL,
      durability,
      bricks: planned(0),
      options: { "performance.cache-size": "32MB" },
    });
    expect(again.changes).toEqual([]);
    const live = await on(1, `gluster --mode=script volume info ${VOL}`);
    expect(live).toMatch(/Status: Started/);
    expect(live).toMatch(/Number of Bricks: 1 x 3 = 3/);
  });

  test("someone else's volume of the same name is never adopted", async () => {
    const err = await n
      .createVolume(ex[0]!, { cluster: "other", name: VOL, durability, bricks: planned(0) })
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/managed by cluster lab, not other/);
    await expect(n.deleteVolume(ex[0]!, { cluster: "other", name: VOL })).rejects.toThrow(
      /not managed by cluster other/,
    );
  });

  test("options: set and reset, each idempotent", async () => {
    const spec = { cluster: CLUSTER, name: VOL };
    expect(
      (await n.setOptions(ex[1]!, { ...spec, options: { "cluster.min-free-disk": "5%" } })).changes,
    ).toEqual([`volume set ${VOL} cluster.min-free-disk`]);
    expect(
      (await n.setOptions(ex[1]!, { ...spec, options: { "cluster.min-free-disk": "5%" } })).changes,
    ).toEqual([]);
    expect((await n.resetOptions(ex[1]!, { ...spec, keys: ["cluster.min-free-disk"] })).changes).toEqual([
      `volume reset ${VOL} cluster.min-free-disk`,
    ]);
    expect((await n.resetOptions(ex[1]!, { ...spec, keys: ["cluster.min-free-disk"] })).changes).toEqual([]);
  });

  test("a busy brick is not destroyed: the error says who holds it", async () => {
    const err = await n.destroyBrick(ex[1]!, brick(0, 1), { force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).message).toMatch(/cannot unmount .*s0b1/);
    expect((err as RemoteError).message).toMatch(/glusterfsd/);
    const stillThere = await on(
      1,
      `findmnt -n -o TARGET /var/lib/glusterfs-bricks/${VOL}/s0b1; grep -c s0b1 /etc/fstab`,
    );
    expect(stillThere).toBe(`/var/lib/glusterfs-bricks/${VOL}/s0b1\n1\n`);
    await expect(n.destroyBrick(ex[1]!, brick(0, 1))).rejects.toThrow(/still uses/);
    await expect(n.removeDevice(ex[1]!, { cluster: CLUSTER, device: "/dev/vdb" })).rejects.toThrow(
      /still holds logical volumes/,
    );
  });

  let sums = "";
  test("FUSE mount inside the lab namespace and write files", () => {
    sums = mountAndRun(
      `for i in $(seq 1 ${files}); do head -c $((4096 + i * 1000)) /dev/urandom > f$i; done; mkdir d; echo hello > d/x; sync; sha256sum f* d/x`,
    );
    expect(sums.trim().split("\n")).toHaveLength(files + 1);
  });

  test("expand to 2x3 (add-brick cut off halfway, then converged), rebalance, every checksum intact", async () => {
    await n.onNodes([0, 1, 2], (i) => n.createBrick(ex[i]!, brick(1, i)));
    const all = [...planned(0), ...planned(1)];
    await cutAfter(500, (x) => n.addBricks(x(0), { cluster: CLUSTER, name: VOL, durability, bricks: all }));
    await n.addBricks(ex[0]!, { cluster: CLUSTER, name: VOL, durability, bricks: all });
    expect(
      (await n.addBricks(ex[0]!, { cluster: CLUSTER, name: VOL, durability, bricks: all })).changes,
    ).toEqual([]);
    const reb = await n.rebalance(ex[0]!, { cluster: CLUSTER, name: VOL });
    expect(reb.changes).toEqual(expect.arrayContaining([`volume rebalance ${VOL} completed`]));
    expect((await n.rebalance(ex[0]!, { cluster: CLUSTER, name: VOL })).changes).toEqual([]);
    const { info, status: st } = await n.readVolume(ex[0]!, VOL);
    expect(info?.bricks.map((b) => b.spec)).toEqual(all.map((b) => `${b.host}:${b.path}`));
    expect(st?.bricks.every((b) => b.online)).toBe(true);
    expect(mountAndRun("sha256sum f* d/x")).toBe(sums);
    // Rebalance moved data to the new set: some files now live on its bricks.
    const onNew = await on(0, `ls /var/lib/glusterfs-bricks/${VOL}/s1b0/brick | grep -c '^f' || true`);
    expect(Number(onNew)).toBeGreaterThan(0);
  });

  test("bricks map back to their LVs by tags", async () => {
    const inv = await n.onNodes(ex, (e) => n.readInventory(e));
    const vol = inv[0]!.volumes!.find((v) => v.name === VOL)!;
    const loc = n.locateBricks(
      vol,
      inv.map((inventory, i) => ({ names: [t[i]!.storage], inventory })),
    );
    expect(loc.map((l) => `${l.brick?.volume}/${l.brick?.brickId}/${l.brick?.role}`)).toEqual(
      ["s0b0", "s0b1", "s0b2", "s1b0", "s1b1", "s1b2"].map((b) => `${VOL}/${b}/data`),
    );
  });

  test("an arbiter volume (replica 3 arbiter 1): the last brick of the set is the arbiter", async () => {
    const arb = (i: number): n.BrickSpec =>
      brick(0, i, { volume: "arb", role: i === 2 ? "arbiter" : "data", size: (i === 2 ? 320 : 512) * MiB });
    const made = await n.onNodes([0, 1, 2], (i) => n.createBrick(ex[i]!, arb(i)));
    const bricks = made.map((b, i) => ({ host: t[i]!.storage, path: b.path }));
    const r = await n.createVolume(ex[0]!, {
      cluster: CLUSTER,
      name: "arb",
      durability: { type: "replicate", replica: 3, arbiter: true },
      bricks,
    });
    expect(r.info).toMatchObject({ replicaCount: 3, arbiterCount: 1, status: "Started" });
    expect(r.info?.bricks.map((b) => b.isArbiter)).toEqual([false, false, true]);
    expect((await n.deleteVolume(ex[0]!, { cluster: CLUSTER, name: "arb" })).changes).toEqual([
      "volume stop arb",
      "volume delete arb",
    ]);
    await n.onNodes([0, 1, 2], (i) => n.destroyBrick(ex[i]!, made[i]!.ref));
  });

  test("delete (stop + delete), again tolerated; destroy bricks, devices, peers: nothing left", async () => {
    expect((await n.deleteVolume(ex[0]!, { cluster: CLUSTER, name: VOL })).changes).toEqual([
      `volume stop ${VOL}`,
      `volume delete ${VOL}`,
    ]);
    expect((await n.deleteVolume(ex[0]!, { cluster: CLUSTER, name: VOL })).changes).toEqual([]);
    await n.onNodes([0, 1, 2], async (i) => {
      for (const set of [0, 1]) await n.destroyBrick(ex[i]!, brick(set, i));
    });
    await n.onNodes([0, 1, 2], async (i) => {
      for (const set of [0, 1]) expect((await n.destroyBrick(ex[i]!, brick(set, i))).changes).toEqual([]);
    });
    await n.onNodes(ex, (e) => n.removeDevice(e, { cluster: CLUSTER, device: "/dev/vdb" }));
    expect((await n.peerDetach(ex[0]!, t[2]!.storage)).changes).toEqual([`peer detach ${t[2]!.storage}`]);
    expect((await n.peerDetach(ex[0]!, t[1]!.storage)).changes).toEqual([`peer detach ${t[1]!.storage}`]);
    expect((await n.peerDetach(ex[0]!, t[1]!.storage)).changes).toEqual([]);
    for (const i of [0, 1, 2]) {
      expect(
        await on(
          i,
          `lvs --noheadings 2>/dev/null | wc -l; vgs --noheadings 2>/dev/null | wc -l; grep -c glusterfs-bricks /etc/fstab || true
findmnt -n -l -o TARGET | grep -c glusterfs-bricks || true; ls -A /var/lib/glusterfs-bricks 2>/dev/null | wc -l
gluster --mode=script volume list | grep -c ${VOL} || true`,
        ),
      ).toBe("0\n0\n0\n0\n0\n0\n");
    }
    expect(await cleanNodes()).toBe(true);
  });
});

test("transport errors surface as TransportError, never as a silent success", async () => {
  const p = new SshPool({ hostKeys: new MemoryHostKeyStore() });
  try {
    const e = p.executor({ ...t[0]!.connection, dialErrorLimit: 1, perDialTimeout: 5 });
    const run = e.run({ step: "test.sleep", text: "sleep 20", readOnly: false }, { timeoutMs: 1000 });
    await expect(run).rejects.toBeInstanceOf(TransportError);
  } finally {
    await p.closeAll();
  }
});
