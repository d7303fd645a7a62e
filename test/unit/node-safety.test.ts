// The node scripts' safety mechanisms, run locally with bash against temporary files and stub
// tools: the node-wide lock and atomic fstab edits under concurrency, fail-closed checks when
// Gluster cannot answer, and what `wipe` may touch.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RemoteError } from "../../provider/core/errors";
import { brickTags } from "../../provider/core/names";
import { type BrickPlacement, planBrick } from "../../provider/core/brick";
import { DEFAULT_BRICK_ROOT } from "../../provider/core/defaults";
import * as n from "../../provider/node";
import { type ScriptRun, runScript } from "../support/run-script";

/** The core's one brick record (names, mount, sizes planned once), as the builders get it. */
const placement: BrickPlacement = {
  cluster: "lab",
  volume: "data",
  brickRoot: DEFAULT_BRICK_ROOT,
  device: "/dev/vdb",
  set: 1,
  index: 2,
  role: "data",
  size: 2 ** 30,
};
const brick: n.BrickSpec = planBrick(placement);

/** The shared helpers of a built script (prelude, node lock, helpers: everything before `firstLine`). */
function helpers(text: string, firstLine: RegExp): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => firstLine.test(l));
  if (i < 0) throw new Error(`no line matching ${firstLine}`);
  return lines.slice(0, i).join("\n");
}

/** Points a script's node-wide files (fstab, node lock) at a test folder. */
function retarget(text: string, dir: string): string {
  return text
    .replace(/\/etc\/fstab/g, path.join(dir, "fstab"))
    .replace(/\/run\/lock\/glusterfs-provider\.lock/g, path.join(dir, "node.lock"));
}

const ORIGINAL_FSTAB = [
  "# /etc/fstab: static file system information.",
  "#",
  "# <file system> <mount point>   <type>  <options>       <dump>  <pass>",
  "UUID=0a1b2c3d-4e5f-6789-abcd-ef0123456789 /               ext4    errors=remount-ro 0       1",
  "",
  "# swap was on /dev/vda5 during installation",
  "UUID=11111111-2222-3333-4444-555555555555 none            swap    sw              0       0",
  "\t# an indented comment /var/lib/glusterfs-bricks/data/s0b0",
  "/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0",
  "tmpfs /tmp tmpfs defaults,size=10%   0 0",
];

/** Lines of a file; a final newline ends the last line rather than starting an empty one. */
function linesOf(text: string): string[] {
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

describe("node lock and atomic fstab edits", () => {
  const K = 6;
  const mounts = Array.from({ length: K }, (_, i) => `/var/lib/glusterfs-bricks/data/s0b${i}`);
  const lineOf = (m: string, i: number) =>
    `/dev/gfs_lab_vdb/brick_data_s0b${i} ${m} xfs rw,inode64,noatime,nouuid 1 2`;

  /** K brick steps at once, each its own bash running the real prelude, lock and fstab helpers. */
  async function concurrently(dir: string, command: (m: string, i: number) => string): Promise<ScriptRun[]> {
    const h = retarget(helpers(n.buildCreateBrick(brick).text, /^vg=/), dir);
    return Promise.all(mounts.map((m, i) => runScript(`${h}\n${command(m, i)}\nprintf '@@done\\n'\n`)));
  }
  const succeeded = (runs: ScriptRun[]) =>
    expect(runs.map((r) => ({ code: r.code, stderr: r.stderr }))).toEqual(
      runs.map(() => ({ code: 0, stderr: "" })),
    );

  test.each([
    ["with a final newline", `${ORIGINAL_FSTAB.join("\n")}\n`],
    ["without a final newline", ORIGINAL_FSTAB.join("\n")],
  ])(
    "K concurrent fstab_put then K concurrent fstab_del keep every other line byte for byte (%s)",
    async (_, original) => {
      for (let trial = 0; trial < 5; trial++) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fstab-race-"));
        const fstab = path.join(dir, "fstab");
        fs.writeFileSync(fstab, original, { mode: 0o644 });

        const puts = await concurrently(dir, (m, i) => `fstab_put ${m} '${lineOf(m, i)}'`);
        const afterPut = linesOf(fs.readFileSync(fstab, "utf8"));
        const ours = afterPut.filter((l) => l.startsWith("/dev/gfs_lab_vdb/"));
        expect(afterPut.filter((l) => !l.startsWith("/dev/gfs_lab_vdb/"))).toEqual(ORIGINAL_FSTAB);
        expect(ours.sort()).toEqual(mounts.map(lineOf).sort());
        succeeded(puts);

        const dels = await concurrently(dir, (m) => `fstab_del ${m}`);
        const afterDel = fs.readFileSync(fstab, "utf8");
        expect(linesOf(afterDel)).toEqual(ORIGINAL_FSTAB);
        if (original.endsWith("\n")) expect(afterDel).toBe(original);
        succeeded(dels);
        expect(fs.readdirSync(dir).sort()).toEqual(["fstab", "node.lock"]);
        expect(fs.statSync(fstab).mode & 0o777).toBe(0o644);
      }
    },
    60_000,
  );
});

describe("the node lock", () => {
  const hold = (seconds: number, wait = 1) =>
    new n.ScriptBuilder("test.hold", { timeoutMs: 60_000, lockWaitSeconds: wait })
      .add(`printf '@@value held 1\\n'; sleep ${seconds}`)
      .build();

  test("mutating steps take it, read-only steps do not; waiting for it does not eat the step's own time", () => {
    const mutating = n.buildDestroyBrick(brick);
    expect(mutating.text).toMatch(/^node_lock_wait=600$/m);
    expect(mutating.text).toMatch(/^node_lock "\$node_lock_wait"$/m);
    expect(mutating.timeoutMs).toBe(300_000 + 600_000);
    for (const ro of [n.buildInventoryScript(), n.buildReadVolume("data"), n.buildPeerState()]) {
      expect(ro.readOnly).toBe(true);
      expect(ro.text).not.toContain("node_lock");
    }
  });

  test("a step that waits too long fails naming the lock and its holder; a killed holder releases it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "node-lock-"));
    // Its own process group, killed as a whole like the step timeout (timeout -k) kills a step.
    const holder = spawn("bash", ["-s"], { stdio: ["pipe", "pipe", "pipe"], detached: true });
    holder.stdin.end(retarget(hold(60).text, dir));
    await new Promise<void>((resolve) =>
      holder.stdout.on("data", (d: Buffer) => d.toString().includes("@@value held") && resolve()),
    );

    const waiter = await runScript(
      retarget(n.buildDestroyBrick(brick).text.replace(/^node_lock_wait=600$/m, "node_lock_wait=1"), dir),
    );
    expect(waiter.code).toBe(1);
    expect(waiter.stdout).toContain("@@cause node-locked");
    expect(waiter.stderr).toMatch(
      /step brick\.destroy waited 1 s for the node lock .*node\.lock on \S+ and gave up; it is held by: step test\.hold, pid \d+, since /,
    );

    process.kill(-holder.pid!, "SIGKILL");
    await new Promise((resolve) => holder.on("close", resolve));
    const after = await runScript(retarget(hold(0, 5).text, dir));
    expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: "" });
    expect(after.stdout).toContain("@@done");
  }, 30_000);
});

const FSTAB_ROOT = "UUID=0a1b2c3d-4e5f-6789-abcd-ef0123456789 / ext4 errors=remount-ro 0 1\n";
const FIXTURES = path.resolve(__dirname, "../fixtures/node/gluster-10.3");

/**
 * A folder of stub tools put first on the script's PATH. Each stub logs its arguments to
 * calls.log and then runs the given shell body; `state` files in the folder steer them.
 */
class Stubs {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "node-stubs-"));
  constructor(tools: Record<string, string>) {
    for (const [name, body] of Object.entries(tools))
      fs.writeFileSync(
        path.join(this.dir, name),
        `#!/bin/bash\nprintf '%s %s\\n' ${name} "$*" >> ${this.dir}/calls.log\n${body}\n`,
        { mode: 0o755 },
      );
  }
  /** The script with its node files in this folder and these stubs first on its PATH. */
  script(text: string): string {
    if (!fs.existsSync(path.join(this.dir, "fstab")))
      fs.writeFileSync(path.join(this.dir, "fstab"), FSTAB_ROOT);
    return retarget(text, this.dir).replace("export LC_ALL=C PATH=", `export LC_ALL=C PATH=${this.dir}:`);
  }
  calls(tool?: string): string[] {
    const f = path.join(this.dir, "calls.log");
    const all = fs.existsSync(f) ? fs.readFileSync(f, "utf8").split("\n").filter(Boolean) : [];
    return tool ? all.filter((l) => l.startsWith(`${tool} `)) : all;
  }
  executor(host = "gluster-1"): import("../../provider/core/exec").RemoteExecutor {
    return {
      host,
      run: async (s) => ({ ...(await runScript(this.script(s.text))), durationMs: 0 }),
    };
  }
}

/** How `gluster volume info` answers, by the case under test. */
const GLUSTER = {
  down: `echo 'Connection failed. Please check if gluster daemon is operational.'; exit 1`,
  failing: `printf '<?xml version="1.0"?><cliOutput><opRet>-1</opRet><opErrno>30800</opErrno><opErrstr>Another transaction is in progress. Please try again after some time.</opErrstr></cliOutput>\\n'; exit 1`,
  none: `cat ${FIXTURES}/volume-info-none.xml`,
  uses: (dir: string) =>
    `sed 's#gluster-1:/var/lib/glusterfs-bricks/smoke/s0b0/brick#gluster-1:${dir}#g' ${FIXTURES}/volume-info-2x3.xml`,
};
const SYSTEMCTL = { active: "exit 0", inactive: "echo inactive; exit 3" };

describe("brick checks fail closed when Gluster cannot answer", () => {
  const ref = planBrick({ ...placement, brickRoot: "/srv/bricks" });
  const dir = `${ref.mount}/brick`;
  // The VG is there and holds none of the brick's LVs.
  const quietLvm = {
    vgs: `echo "  ${ref.vg}"`,
    lvs: "exit 0",
    lvremove: "",
    mountpoint: "exit 1",
    umount: "",
    fuser: "",
  };

  test("destroy fails, naming LVM's error, when LVM cannot say whether the brick's LVs exist (never reports them gone)", async () => {
    const stubs = new Stubs({
      ...quietLvm,
      gluster: GLUSTER.none,
      systemctl: SYSTEMCTL.active,
      lvs: `echo "  Read lock timed out for ${ref.vg}" >&2; exit 5`,
    });
    const r = await runScript(stubs.script(n.buildDestroyBrick(ref).text));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot list the logical volumes of ${ref.vg}`);
    expect(r.stderr).toMatch(/Read lock timed out/);
    expect(r.stdout).not.toContain("@@done");
    const noVgs = new Stubs({
      ...quietLvm,
      gluster: GLUSTER.none,
      systemctl: SYSTEMCTL.active,
      vgs: "exit 5",
    });
    const v = await runScript(noVgs.script(n.buildDestroyBrick(ref).text));
    expect(v.code).toBe(1);
    expect(v.stderr).toContain("cannot list the volume groups");
  });

  test("destroy removes the LV and its pool in one lvremove when the LV is the pool's last user, and keeps a pool others use", async () => {
    const tags = brickTags(ref.volume, ref.set, ref.index, "data").join(",");
    const run = async (rows: Array<[string, string, string]>) => {
      const stubs = new Stubs({
        ...quietLvm,
        lvs: lvListing(rows),
        gluster: GLUSTER.none,
        systemctl: SYSTEMCTL.active,
      });
      const r = await runScript(stubs.script(n.buildDestroyBrick(ref).text));
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      return { calls: stubs.calls("lvremove"), stdout: r.stdout };
    };
    const alone = await run([
      [ref.pool, tags, ""],
      [ref.lv, tags, ref.pool],
    ]);
    expect(alone.calls).toEqual([`lvremove -qq -y ${ref.vg}/${ref.lv} ${ref.vg}/${ref.pool}`]);
    expect(alone.stdout).toContain(`@@change lvremove ${ref.vg}/${ref.pool}`);
    const shared = await run([
      [ref.pool, tags, ""],
      [ref.lv, tags, ref.pool],
      ["snap1", "", ref.pool],
    ]);
    expect(shared.calls).toEqual([`lvremove -qq -y ${ref.vg}/${ref.lv}`]);
    expect(shared.stdout).toContain("@@value pool-kept 1");
    // A pool whose LV a cut destroy already removed goes on the re-run.
    const poolOnly = await run([[ref.pool, tags, ""]]);
    expect(poolOnly.calls).toEqual([`lvremove -qq -y ${ref.vg}/${ref.pool}`]);
  });

  test("destroy of a brick whose LVs (or whole VG) are gone succeeds: a re-run after a cut converges", async () => {
    for (const vgs of [quietLvm.vgs, "exit 0"]) {
      const stubs = new Stubs({ ...quietLvm, vgs, gluster: GLUSTER.none, systemctl: SYSTEMCTL.active });
      const r = await runScript(stubs.script(n.buildDestroyBrick(ref).text));
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      expect(stubs.calls("lvremove")).toEqual([]);
    }
  });

  test.each([
    [
      "glusterd is inactive",
      GLUSTER.down,
      SYSTEMCTL.inactive,
      /glusterd is not running on \S+, so Gluster cannot say whether a volume still uses/,
    ],
    [
      "gluster volume info fails",
      GLUSTER.failing,
      SYSTEMCTL.active,
      /'gluster volume info' failed on \S+ \(Another transaction is in progress/,
    ],
  ])(
    "destroy refuses when %s (exit 3), with the cause and its own hint",
    async (_, gluster, systemctl, why) => {
      const stubs = new Stubs({ ...quietLvm, gluster, systemctl });
      const r = await runScript(stubs.script(n.buildDestroyBrick(ref).text));
      expect(r.code).toBe(3);
      expect(r.stdout).toContain("@@cause gluster-unknown");
      expect(r.stderr).toMatch(why);
      expect(stubs.calls("umount")).toEqual([]);
      expect(stubs.calls("lvremove")).toEqual([]);
      const err = await n.destroyBrick(stubs.executor(), ref).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteError);
      expect((err as RemoteError).message).toMatch(/^gluster-1: step brick\.destroy refused: not destroying/);
      expect((err as RemoteError).hint).toMatch(/start glusterd/);
      expect((err as RemoteError).hint).not.toMatch(/process holding the brick/);
    },
  );

  test("destroy refuses a brick a volume uses, goes ahead when Gluster says none does, and force skips the question", async () => {
    const used = new Stubs({ ...quietLvm, gluster: GLUSTER.uses(dir), systemctl: SYSTEMCTL.active });
    const r = await runScript(used.script(n.buildDestroyBrick(ref).text));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("@@cause brick-in-use");
    const unused = new Stubs({ ...quietLvm, gluster: GLUSTER.none, systemctl: SYSTEMCTL.active });
    expect((await runScript(unused.script(n.buildDestroyBrick(ref).text))).code).toBe(0);
    const forced = new Stubs({ ...quietLvm, gluster: GLUSTER.down, systemctl: SYSTEMCTL.inactive });
    const f = await runScript(forced.script(n.buildDestroyBrick(ref, { force: true }).text));
    expect({ code: f.code, stderr: f.stderr }).toEqual({ code: 0, stderr: "" });
    expect(forced.calls("gluster")).toEqual([]);
  });

  test("the busy hint only for a busy mount; an fstab failure gets its own cause, not that hint", async () => {
    const busy = new Stubs({
      ...quietLvm,
      gluster: GLUSTER.none,
      systemctl: SYSTEMCTL.active,
      mountpoint: "exit 0",
      umount: `echo "umount: $1: target is busy." >&2; exit 32`,
      fuser: `echo "USER PID ACCESS COMMAND"; echo "$1: root 4242 ..c.. bash"`,
    });
    const e1 = (await n.destroyBrick(busy.executor(), ref).catch((e: unknown) => e)) as RemoteError;
    expect(e1.message).toMatch(/step brick\.destroy exited with code 1/);
    expect(e1.stderr).toMatch(/target is busy/);
    expect(e1.stderr).toMatch(/4242/);
    expect(e1.hint).toMatch(/stop the volume or the process holding the brick/);

    const fstabFails = new Stubs({
      ...quietLvm,
      gluster: GLUSTER.none,
      systemctl: SYSTEMCTL.active,
      mktemp: "echo 'mktemp: No space left on device' >&2; exit 1",
    });
    fs.writeFileSync(path.join(fstabFails.dir, "fstab"), `/dev/x ${ref.mount} xfs rw 1 2\n`);
    const e2 = (await n.destroyBrick(fstabFails.executor(), ref).catch((e: unknown) => e)) as RemoteError;
    expect(e2.stderr).toMatch(/cannot create a temporary file next to .*fstab/);
    expect(e2.hint).not.toMatch(/process holding the brick/);
    expect(fs.readFileSync(path.join(fstabFails.dir, "fstab"), "utf8")).toBe(
      `/dev/x ${ref.mount} xfs rw 1 2\n`,
    );
  });

  test("create does not reset a stale brick directory when Gluster cannot say it is unused", async () => {
    // The script is built for a valid brick root and run with that root moved into a temporary
    // folder (the model refuses brick roots under /tmp, rightly, for real nodes).
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bricks-"));
    const spec = planBrick({ ...placement, brickRoot: "/srv/bricks" });
    const built = spec;
    const r = { ...built, mount: built.mount.replace("/srv/bricks", root) };
    const createScript = n.buildCreateBrick(spec).text.replaceAll("/srv/bricks", root);
    fs.mkdirSync(`${r.mount}/brick`, { recursive: true });
    const tags = brickTags(spec.volume, spec.set, spec.index, spec.role).join(",");
    const tools = {
      vgs: `echo "  ${r.vg}"`,
      lvs: lvListing([
        [r.pool, tags, ""],
        [r.lv, tags, r.pool],
      ]),
      lvchange: "",
      mountpoint: "exit 0",
      findmnt: `echo /dev/${r.vg}/${r.lv}`,
      getfattr: "exit 0",
      setfattr: "",
      systemctl: SYSTEMCTL.inactive,
    };
    const down = new Stubs({ ...tools, gluster: GLUSTER.down });
    const d = await runScript(down.script(createScript));
    expect(d.code).toBe(3);
    expect(d.stdout).toContain("@@cause gluster-unknown");
    expect(d.stderr).toMatch(
      /carries a volume id and it is not known whether a volume still uses it: glusterd is not running/,
    );
    expect(down.calls("setfattr")).toEqual([]);

    const unused = new Stubs({ ...tools, gluster: GLUSTER.none, systemctl: SYSTEMCTL.active });
    const u = await runScript(unused.script(createScript));
    expect({ code: u.code, stderr: u.stderr }).toEqual({ code: 0, stderr: "" });
    expect(u.stdout).toContain(`@@change reset stale brick directory ${r.mount}/brick`);
  });
});

/** A stub for the one 'lvs' listing brick steps read: rows of name, tags, pool (size 1 GiB). */
function lvListing(rows: Array<[string, string, string]>): string {
  const lines = rows.map(([name, tags, pool]) => `  ${name}|${tags}|1073741824|${pool}`);
  return `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(" ")}`;
}

describe("brick create never formats on a guess", () => {
  test("an LV listing LVM cannot give is not taken for LVs cut off before mkfs: no lvcreate, no mkfs, the cause named", async () => {
    // The LV exists and holds a filesystem (it is ours, tagged, just not mounted, e.g. after a
    // reboot); the one 'lvs' listing of the VG fails this time (a lock timeout, a metadata read
    // error). Its tags are unknown, so the step stops rather than format or create anything.
    const spec = planBrick({ ...placement, brickRoot: "/srv/bricks" });
    const ref = spec;
    const stubs = new Stubs({
      vgs: `echo "  ${ref.vg}"`,
      lvs: `echo "  Read lock timed out for ${ref.vg}" >&2; exit 5`,
      lvchange: "",
      lvcreate: "",
      modprobe: "",
      mountpoint: "exit 1",
      "mkfs.xfs": "",
      mount: "",
      findmnt: `echo /dev/${ref.vg}/${ref.lv}`,
      getfattr: "exit 1",
    });
    const r = await runScript(stubs.script(n.buildCreateBrick(spec).text));
    expect(stubs.calls("mkfs.xfs")).toEqual([]);
    expect(stubs.calls("lvcreate")).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot list the logical volumes of ${ref.vg}`);
    expect(r.stderr).toMatch(/Read lock timed out/);
    expect(r.stderr).not.toMatch(/is not tagged/);
  });

  test("an LV found tagged is never formatted again, and one found untagged is (it was cut off before mkfs)", async () => {
    const spec = planBrick({ ...placement, brickRoot: "/srv/bricks" });
    const ref = spec;
    const tags = brickTags(spec.volume, spec.set, spec.index, spec.role).join(",");
    const tools = (lvTags: string) => ({
      vgs: `echo "  ${ref.vg}"`,
      lvs: lvListing([
        [ref.pool, tags, ""],
        [ref.lv, lvTags, ref.pool],
      ]),
      lvchange: "",
      lvcreate: "",
      mountpoint: "exit 1",
      "mkfs.xfs": "",
      mount: "",
      findmnt: `echo /dev/${ref.vg}/${ref.lv}`,
      getfattr: "exit 1",
    });
    const tagged = new Stubs(tools(tags));
    expect((await runScript(tagged.script(n.buildCreateBrick(spec).text))).code).toBe(0);
    expect(tagged.calls("mkfs.xfs")).toEqual([]);
    expect(tagged.calls("lvcreate")).toEqual([]);
    const untagged = new Stubs(tools(""));
    expect((await runScript(untagged.script(n.buildCreateBrick(spec).text))).code).toBe(0);
    expect(untagged.calls("mkfs.xfs")).toHaveLength(1);
  });
});

describe("wipe touches only the named disk and its own partitions", () => {
  // lsblk -r -n -p -o NAME,TYPE,PKNAME,MOUNTPOINT /dev/vdb on a disk with two partitions, the
  // second a member of a RAID 1 (md127, with /dev/vdc2) that carries a dm-crypt device.
  const TREE = [
    "/dev/vdb disk  ",
    "/dev/vdb1 part /dev/vdb ",
    "/dev/vdb2 part /dev/vdb ",
    "/dev/md127 raid1 /dev/vdb2 ",
    "/dev/mapper/secret crypt /dev/md127 /srv/secret",
  ].join("\n");

  /** Stubs for device.prepare on /dev/vdb; `sys` lists holders per device, `pv` the VG of a PV. */
  function prepare(opts: {
    tree?: string;
    holders?: Record<string, string[]>;
    pv?: Record<string, string>;
    swaps?: string;
    mdstat?: string;
    tools?: Record<string, string>;
  }) {
    const stubs = new Stubs({
      lsblk: `cat <<'TREE'\n${opts.tree ?? TREE}\nTREE`,
      wipefs: `case "$*" in *--no-act*) [ "\${@: -1}" = /dev/vdb ] && echo "dos 0x1fe" ;; esac; exit 0`,
      pvs: `case "$*" in ${Object.entries(opts.pv ?? {})
        .map(([d, vg]) => `*" ${d}") echo "  ${vg}" ;;`)
        .join(" ")} *) exit 5 ;; esac`,
      vgs: "exit 0",
      pvcreate: "",
      vgcreate: "",
      blockdev: "",
      partx: "",
      udevadm: "",
      ...opts.tools,
    });
    const sys = path.join(stubs.dir, "sys");
    for (const d of ["vdb", "vdb1", "vdb2", "md127", "dm-0"])
      fs.mkdirSync(path.join(sys, d, "holders"), { recursive: true });
    fs.mkdirSync(path.join(sys, "dm-0", "dm"));
    fs.writeFileSync(path.join(sys, "dm-0", "dm", "name"), "secret\n");
    for (const [d, hs] of Object.entries(opts.holders ?? {}))
      for (const h of hs) fs.writeFileSync(path.join(sys, d, "holders", h), "");
    fs.writeFileSync(path.join(stubs.dir, "swaps"), opts.swaps ?? "Filename\tType\tSize\tUsed\tPriority\n");
    fs.writeFileSync(
      path.join(stubs.dir, "mdstat"),
      opts.mdstat ?? "Personalities :\nunused devices: <none>\n",
    );
    const text = stubs
      .script(n.buildPrepareDevice({ cluster: "lab", device: "/dev/vdb", wipe: true }).text)
      // The disk is a name only: no block device exists here.
      .replace('[ -b "$dev" ]', '[ -n "$dev" ]')
      .replace("sys_block=/sys/class/block", `sys_block=${sys}`)
      .replace("proc_swaps=/proc/swaps", `proc_swaps=${stubs.dir}/swaps`)
      .replace("proc_mdstat=/proc/mdstat", `proc_mdstat=${stubs.dir}/mdstat`);
    return { stubs, run: () => runScript(text) };
  }
  const wiped = (s: Stubs) =>
    s
      .calls("wipefs")
      .filter((c) => c.includes(" -a "))
      .map((c) => c.split(" ").pop());

  test("a partition held by an md array (and a dm device on it) is refused, naming the holder; nothing is wiped", async () => {
    const { stubs, run } = prepare({ holders: { vdb2: ["md127"], md127: ["dm-0"] } });
    const r = await run();
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("@@cause in-use");
    expect(r.stderr).toMatch(/\/dev\/vdb is in use: holders vdb2 is held by md127/);
    expect(wiped(stubs)).toEqual([]);
    expect(stubs.calls("pvcreate")).toEqual([]);
  });

  test.each([
    [
      "mounted",
      { tree: TREE.replace("/dev/vdb1 part /dev/vdb ", "/dev/vdb1 part /dev/vdb /srv/old") },
      /in use: mounted \/srv\/old/,
    ],
    [
      "swap",
      { swaps: "Filename\tType\tSize\tUsed\tPriority\n/dev/vdb1 partition 1048572 0 -2\n" },
      /in use: swap vdb1 is in use as swap/,
    ],
    [
      "an LVM PV of a volume group",
      { pv: { "/dev/vdb1": "vg_other" } },
      /in use: pv vdb1 is a physical volume of volume group vg_other/,
    ],
    [
      "an md member",
      { mdstat: "md127 : inactive vdb2[0](S)\n" },
      /in use: md vdb2 is a member of an md array/,
    ],
  ])("a partition that is %s is refused even with wipe", async (_, opts, why) => {
    const { stubs, run } = prepare({ tree: TREE.split("\n").slice(0, 3).join("\n"), ...opts });
    const r = await run();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(why);
    expect(wiped(stubs)).toEqual([]);
  });

  test("when LVM cannot list the volume groups, prepare stops before looking at the disk (it may hold ours)", async () => {
    const { stubs, run } = prepare({ tools: { vgs: "echo '  Read lock timed out' >&2; exit 5" } });
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot list the volume groups on \S+ \(LVM's message above\)/);
    expect(r.stderr).toMatch(/Read lock timed out/);
    expect(wiped(stubs)).toEqual([]);
    expect(stubs.calls("pvcreate")).toEqual([]);
    expect(stubs.calls("vgcreate")).toEqual([]);
  });

  test("device.remove fails, not succeeds, when LVM cannot list the volume groups", async () => {
    const stubs = new Stubs({
      vgs: "echo '  Read lock timed out' >&2; exit 5",
      vgremove: "",
      pvs: "exit 5",
      pvremove: "",
    });
    const r = await runScript(stubs.script(n.buildRemoveDevice({ cluster: "lab", device: "/dev/vdb" }).text));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot list the volume groups/);
    expect(r.stdout).not.toContain("@@done");
  });

  test.each([
    [
      "lsblk cannot list the disk's partitions",
      { lsblk: "echo 'lsblk: /dev/vdb: failed to get device path' >&2; exit 32" },
      /lsblk: \/dev\/vdb: failed/,
    ],
    [
      "wipefs cannot read the disk's signatures",
      {
        wipefs:
          "echo 'wipefs: error: /dev/vdb: probing initialization failed: Device or resource busy' >&2; exit 1",
      },
      /probing initialization failed/,
    ],
  ])(
    "when %s, nothing is wiped or created: an unknown answer is not an empty disk",
    async (_, tools, why) => {
      const { stubs, run } = prepare({ tools });
      const r = await run();
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toMatch(/cannot tell whether \/dev\/vdb is empty or in use/);
      expect(wiped(stubs)).toEqual([]);
      expect(stubs.calls("pvcreate")).toEqual([]);
      expect(stubs.calls("vgcreate")).toEqual([]);
    },
  );

  test("with nothing held, only the disk's own partitions and then the disk are wiped, never what lsblk lists above them", async () => {
    // lsblk still lists md127 and the dm device (say the kernel's holder links lag behind);
    // the wipe must not follow them onto the other disks they span.
    const { stubs, run } = prepare({});
    const r = await run();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toContain("@@change wipefs /dev/vdb");
    expect(wiped(stubs)).toEqual(["/dev/vdb2", "/dev/vdb1", "/dev/vdb"]);
    expect(stubs.calls("pvcreate")).toHaveLength(1);
  });
});

describe("peer steps never read an unanswered peer list as 'not a peer'", () => {
  const down = `echo 'Connection failed. Please check if gluster daemon is operational.'; exit 1`;

  test("detach fails when 'gluster peer status' cannot answer: the node is not reported detached", async () => {
    const stubs = new Stubs({ gluster: down });
    const r = await runScript(stubs.script(n.buildPeerDetach("gluster-2").text));
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("@@done");
    expect(r.stderr).toMatch(/cannot read the peer list on \S+.*Connection failed/s);
    expect(stubs.calls("gluster").filter((c) => c.includes("detach"))).toEqual([]);
  });

  test("detach of a peer the list does not name is done (a re-run after a cut converges)", async () => {
    const stubs = new Stubs({ gluster: `cat ${FIXTURES}/peer-status-2.xml` });
    const r = await runScript(stubs.script(n.buildPeerDetach("gluster-9").text));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).not.toContain("@@change");
  });
});

describe("hints match the cause", () => {
  const detach = (answer: string) =>
    new Stubs({
      gluster: `case "$*" in *"peer status"*) cat ${FIXTURES}/peer-status-2.xml ;; *) printf '<?xml version="1.0"?><cliOutput><opRet>-1</opRet><opErrno>0</opErrno><opErrstr>%s</opErrstr></cliOutput>\\n' "${answer}" ;; esac`,
    });

  test("peer detach: 'remove the bricks first' only when gluster says the peer hosts bricks", async () => {
    const bricks = (await n
      .peerDetach(detach("Peer gluster-2 hosts one or more bricks.").executor(), "gluster-2")
      .catch((e: unknown) => e)) as RemoteError;
    expect(bricks.message).toMatch(/^gluster-1: step peer\.detach exited with code 1/);
    expect(bricks.stderr).toMatch(/hosts one or more bricks/);
    expect(bricks.hint).toMatch(/remove the node's bricks/);
    const busy = (await n
      .peerDetach(detach("Another transaction is in progress.").executor(), "gluster-2")
      .catch((e: unknown) => e)) as RemoteError;
    expect(busy.stderr).toMatch(/Another transaction is in progress/);
    expect(busy.hint).not.toMatch(/bricks/);
  });

  test("device prepare: 'set wipe' only for a disk that is not empty", async () => {
    const stubs = new Stubs({ vgs: "echo '  gfs_lab_vdb'", pvs: "echo '  /dev/vdz'" });
    const err = (await n
      .prepareDevice(
        {
          host: "gluster-1",
          run: async (s) => ({
            ...(await runScript(stubs.script(s.text).replace('[ -b "$dev" ]', '[ -n "$dev" ]'))),
            durationMs: 0,
          }),
        },
        { cluster: "lab", device: "/dev/vdb" },
      )
      .catch((e: unknown) => e)) as RemoteError;
    expect(err.message).toMatch(/refused: volume group gfs_lab_vdb exists on \/dev\/vdz, not on \/dev\/vdb/);
    expect(err.hint).not.toMatch(/wipe/);
  });
});

test("temporary files left by a killed step (and the fixed one of earlier versions) are removed under the lock", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fstab-leftovers-"));
  fs.writeFileSync(path.join(dir, "fstab"), ORIGINAL_FSTAB.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, ".fstab.glusterfs-provider.Ab12Cd"), "half\n");
  fs.writeFileSync(path.join(dir, "fstab.glusterfs-provider.tmp"), "half\n");
  const h = retarget(helpers(n.buildCreateBrick(brick).text, /^vg=/), dir);
  const r = await runScript(`${h}\nfstab_put /srv/b '/dev/x /srv/b xfs rw 1 2'\n`);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  expect(fs.readdirSync(dir).sort()).toEqual(["fstab", "node.lock"]);
  expect(fs.readFileSync(path.join(dir, "fstab"), "utf8")).toBe(
    `${ORIGINAL_FSTAB.join("\n")}\n/dev/x /srv/b xfs rw 1 2\n`,
  );
});

test("a cause the prelude names (node lock) gets its own hint, even over a step's plain-string hint", async () => {
  const exec = {
    host: "gluster-1",
    run: async () => ({
      code: 1,
      stdout: "@@cause node-locked\n",
      stderr: "step x waited 1 s for the node lock",
      durationMs: 0,
    }),
  };
  const script = new n.ScriptBuilder("peer.detach").build();
  const err = (await n
    .runStep(exec, script, "remove the node's bricks from every volume first")
    .catch((e: unknown) => e)) as RemoteError;
  expect(err.message).toMatch(
    /^gluster-1: step peer\.detach exited with code 1\n {2}stderr: step x waited 1 s for the node lock/,
  );
  expect(err.hint).toMatch(/holds the node lock/);
  const plain = (await n
    .runStep(
      { ...exec, run: async () => ({ code: 1, stdout: "", stderr: "boom", durationMs: 0 }) },
      script,
      "only remedy",
    )
    .catch((e: unknown) => e)) as RemoteError;
  expect(plain.hint).toBe("only remedy");
});

describe("a refusal's default hint says only what is true of it", () => {
  const refusing = (stdout: string): import("../../provider/core/exec").RemoteExecutor => ({
    host: "gluster-1",
    run: async () => ({ code: 3, stdout, stderr: "refused\n", durationMs: 0 }),
  });
  const script = n.buildStopVolume({ cluster: "lab", name: "data" });

  test("after changes: it does not claim that nothing was changed, and names what was", async () => {
    const e = (await n
      .runStep(
        refusing("@@change lvcreate gfs_lab_vdb/tp_data_s0b0\n@@refuse holds data; not reusing it\n"),
        script,
      )
      .catch((x: unknown) => x)) as RemoteError;
    expect(e).toBeInstanceOf(RemoteError);
    expect(e.changes).toEqual(["lvcreate gfs_lab_vdb/tp_data_s0b0"]);
    expect(e.hint).not.toMatch(/nothing was changed/);
    expect(e.hint).toContain("lvcreate gfs_lab_vdb/tp_data_s0b0");
  });

  test("with no opt-in for the cause, it does not offer one", async () => {
    const e = (await n
      .runStep(refusing("@@refuse volume data belongs to proj/dev/other, not to proj/dev/data\n"), script)
      .catch((x: unknown) => x)) as RemoteError;
    expect(e.hint).toMatch(/nothing was changed/);
    expect(e.hint).not.toMatch(/opt in/);
  });
});
