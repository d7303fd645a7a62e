// Every builder's script text, `bash -n` on all of them, and the injection suite: hostile
// values are refused by validation or reach the commands as single, unchanged arguments.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createWords } from "../../provider/core/durability";
import { ValidationError } from "../../provider/core/errors";
import { type BrickPlacement, planBrick } from "../../provider/core/brick";
import { DEFAULT_BRICK_ROOT } from "../../provider/core/defaults";
import { METADATA_MAX } from "../../provider/core/sizing";
import * as n from "../../provider/node";

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
const replica3 = [1, 2, 3].map((i) => ({
  host: `gluster-${i}`,
  path: `/var/lib/glusterfs-bricks/data/s0b${i - 1}/brick`,
}));

const builders: Record<string, () => { text: string; readOnly: boolean; step: string }> = {
  inventory: () => n.buildInventoryScript(),
  "device.inspect": () => n.buildInspectDevice({ device: "/dev/vdb" }),
  "device.prepare": () => n.buildPrepareDevice({ cluster: "lab", device: "/dev/vdb" }),
  "device.prepare.raid-wipe": () =>
    n.buildPrepareDevice({
      cluster: "lab",
      device: "/dev/sdb",
      wipe: true,
      raid: { stripeUnitKiB: 128, dataDisks: 10 },
    }),
  "device.grow": () => n.buildGrowDevice({ cluster: "lab", device: "/dev/vdb" }),
  "device.remove": () => n.buildRemoveDevice({ cluster: "lab", device: "/dev/vdb" }),
  "brick.create": () => n.buildCreateBrick(brick),
  "brick.create.arbiter-gid": () =>
    n.buildCreateBrick({
      ...planBrick({ ...placement, role: "arbiter", brickRoot: "/srv/bricks" }),
      gid: 2000,
    }),
  "brick.create.raid": () =>
    n.buildCreateBrick({ ...brick, xfs: { suKiB: 128, sw: 10 }, chunkKiB: 1280, mode: 0o770 }),
  "brick.grow": () => n.buildGrowBrick(brick, { sizeBytes: 2 * 2 ** 30 }),
  "brick.destroy": () => n.buildDestroyBrick(brick),
  "node.glusterd-check": () => n.buildGlusterdCheck(),
  "peer.probe": () => n.buildPeerProbe("gluster-2"),
  "peer.detach": () => n.buildPeerDetach("gluster-2"),
  "peer.state": () => n.buildPeerState(),
  "volume.create": () =>
    n.buildCreateVolume({
      cluster: "lab",
      name: "data",
      durability: { type: "replicate", replica: 3, arbiter: false },
      bricks: replica3,
      options: { "performance.cache-size": "64MB" },
    }),
  "volume.create.arbiter": () =>
    n.buildCreateVolume({
      cluster: "lab",
      name: "data",
      durability: { type: "replicate", replica: 3, arbiter: true },
      bricks: replica3,
    }),
  "volume.create.disperse": () =>
    n.buildCreateVolume({
      cluster: "lab",
      name: "ec",
      durability: { type: "disperse", data: 4, redundancy: 2 },
      bricks: [1, 2, 3, 4, 5, 6].map((i) => ({ host: `gluster-${i}`, path: "/b/ec/s0/brick" })),
    }),
  "volume.set": () =>
    n.buildSetOptions({ cluster: "lab", name: "data", options: { "cluster.quorum-type": "auto" } }),
  "volume.reset": () => n.buildResetOptions({ cluster: "lab", name: "data", keys: ["cluster.quorum-type"] }),
  "volume.start": () => n.buildStartVolume({ cluster: "lab", name: "data" }),
  "volume.add-bricks": () =>
    n.buildAddBricks({
      cluster: "lab",
      name: "data",
      durability: { type: "replicate", replica: 3, arbiter: false },
      bricks: replica3,
    }),
  "volume.rebalance": () => n.buildRebalance({ cluster: "lab", name: "data" }),
  "volume.stop": () => n.buildStopVolume({ cluster: "lab", name: "data" }),
  "volume.delete": () => n.buildDeleteVolume({ cluster: "lab", name: "data" }),
  "volume.read": () => n.buildReadVolume("data"),
};

/** The step's own lines, without the shared prelude. */
function body(text: string): string {
  return text.slice(text.indexOf("# step: "));
}

describe("builders", () => {
  test.each(Object.keys(builders))("%s: script text", (name) => {
    const s = builders[name]!();
    expect(s.text.startsWith("set -eEuo pipefail\n")).toBe(true);
    expect(s.text.trimEnd().endsWith("printf '@@done\\n'")).toBe(true);
    expect(body(s.text)).toMatchSnapshot();
  });

  test("all scripts parse (bash -n)", () => {
    for (const [name, b] of Object.entries(builders)) {
      const r = spawnSync("bash", ["-n"], { input: b().text, encoding: "utf8" });
      expect({ name, code: r.status, stderr: r.stderr }).toEqual({ name, code: 0, stderr: "" });
    }
  });

  test("only reads are marked read-only (and so retried)", () => {
    const ro = Object.entries(builders)
      .filter(([, b]) => b().readOnly)
      .map(([k]) => k);
    expect(ro.sort()).toEqual([
      "device.inspect",
      "inventory",
      "node.glusterd-check",
      "peer.state",
      "volume.read",
    ]);
  });

  test("brick settings: thin pool + LV, XFS inode options, mount options, fstab line", () => {
    const t = n.buildCreateBrick(brick).text;
    expect(t).toContain(
      '--zero n --chunksize 256K --poolmetadatasize 8388608b --size 1073741824b --thin "$vg/$pool" --virtualsize 1073741824b',
    );
    expect(t).toContain('mkfs.xfs -f -q -i size=512 -n size=8192 "$dev"');
    expect(t).toContain(
      "'/dev/gfs_lab_vdb/brick_data_s1b2 /var/lib/glusterfs-bricks/data/s1b2 xfs rw,inode64,noatime,nouuid 1 2'",
    );
    expect(n.buildCreateBrick(planBrick({ ...placement, role: "arbiter" })).text).toContain("-i maxpct=100");
    expect(n.buildCreateBrick({ ...brick, gid: 2000 }).text).toContain("want_gid=2000; want_mode=2775");
    expect(n.buildPrepareDevice({ cluster: "lab", device: "/dev/vdb" }).text).toContain(
      "--metadatasize=128M --dataalignment=256K",
    );
    expect(
      n.buildPrepareDevice({ cluster: "lab", device: "/dev/vdb", raid: { stripeUnitKiB: 256, dataDisks: 6 } })
        .text,
    ).toContain("--dataalignment=1536K");
    // Thin-pool metadata: one rule (core sizing), planned into the record, passed to lvcreate as is.
    const big = planBrick({ ...placement, size: 10 * 2 ** 40 });
    expect(big.metadataSize).toBe(METADATA_MAX);
    expect(n.buildCreateBrick(big).text).toContain(`--poolmetadatasize ${METADATA_MAX}b`);
    expect(n.buildCreateBrick({ ...brick, metadataSize: 12 * 2 ** 20 }).text).toContain(
      "--poolmetadatasize 12582912b",
    );
  });

  test("layouts", () => {
    expect(createWords({ type: "replicate", replica: 3, arbiter: false })).toEqual(["replica", "3"]);
    expect(createWords({ type: "replicate", replica: 3, arbiter: true })).toEqual([
      "replica",
      "3",
      "arbiter",
      "1",
    ]);
    expect(createWords({ type: "disperse", data: 4, redundancy: 2 })).toEqual([
      "disperse",
      "6",
      "redundancy",
      "2",
    ]);
    // The builders check the durability again by its type's rule (a disperse 2+2 or a replica 4
    // never reaches gluster, whoever built the spec).
    const r3 = { type: "replicate", replica: 3, arbiter: false } as const;
    expect(() => n.brickSpecs(replica3, { type: "disperse", data: 2, redundancy: 2 })).toThrow(
      ValidationError,
    );
    expect(() => n.brickSpecs(replica3, { type: "replicate", replica: 4, arbiter: false })).toThrow(/2 or 3/);
    expect(() => n.brickSpecs(replica3.slice(0, 2), r3)).toThrow(/multiple of the set size 3/);
    expect(() => n.brickSpecs([replica3[0]!, replica3[0]!, replica3[1]!], r3)).toThrow(ValidationError);
    expect(() =>
      n.brickSpecs([replica3[0]!, { ...replica3[1]!, host: "gluster-1" }, replica3[2]!], r3),
    ).toThrow(/different hosts/);
  });
});

const EVIL = [
  "a b",
  "$(touch /tmp/pwned)",
  "`id`",
  "x;y",
  "'",
  '"',
  "\\",
  "a|b",
  "*",
  "$HOME",
  "--x",
  "a&&b",
  "é",
];

describe("injection", () => {
  test.each(EVIL)("hostile name %j is refused everywhere before a script exists", (v) => {
    // Refused when the record is planned, and again by the builder if a record was built by hand.
    expect(() => planBrick({ ...placement, volume: v })).toThrow(ValidationError);
    expect(() => planBrick({ ...placement, cluster: v })).toThrow(ValidationError);
    expect(() => n.buildCreateBrick({ ...brick, volume: v })).toThrow(ValidationError);
    expect(() => n.buildCreateBrick({ ...brick, vg: v })).toThrow(ValidationError);
    expect(() => n.buildCreateBrick({ ...brick, lv: v })).toThrow(ValidationError);
    if (v !== "--x") {
      // "--x" is a valid path segment: paths are never the first word of a command
      expect(() => planBrick({ ...placement, brickRoot: `/srv/${v}` })).toThrow(ValidationError);
      expect(() => n.buildCreateBrick({ ...brick, mount: `/srv/${v}` })).toThrow(ValidationError);
      expect(() => n.buildPrepareDevice({ cluster: "lab", device: `/dev/${v}` })).toThrow(ValidationError);
    }
    expect(() => n.buildPeerProbe(v)).toThrow(ValidationError);
    expect(() =>
      n.buildCreateVolume({ cluster: "lab", name: v, durability: { type: "distribute" }, bricks: replica3 }),
    ).toThrow(ValidationError);
    if (v !== "--x")
      expect(() =>
        n.buildCreateVolume({
          cluster: "lab",
          name: "d",
          durability: { type: "distribute" },
          bricks: [{ host: "h", path: `/b/${v}` }],
        }),
      ).toThrow(ValidationError);
    expect(() => n.buildSetOptions({ cluster: "lab", name: "d", options: { [v]: "x" } })).toThrow(
      ValidationError,
    );
    expect(() => n.buildReadVolume(v)).toThrow(ValidationError);
  });

  test("non-numeric sizes and ids are refused", () => {
    expect(() => n.buildCreateBrick({ ...brick, size: NaN })).toThrow(ValidationError);
    expect(() => n.buildCreateBrick({ ...brick, metadataSize: 1.5 })).toThrow(ValidationError);
    expect(() => n.buildCreateBrick({ ...brick, set: -1 })).toThrow(ValidationError);
    expect(() => n.buildCreateBrick({ ...brick, gid: "0; id" as unknown as number })).toThrow(
      ValidationError,
    );
  });

  /**
   * Runs volume.create against a stub `gluster` that records its arguments: hostile option
   * values must arrive as exactly one unchanged argument each, and nothing may run them.
   */
  test("hostile option values reach gluster as single, unchanged arguments", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inj-"));
    const fixtures = path.resolve(__dirname, "../fixtures/node/gluster-10.3");
    fs.writeFileSync(
      path.join(dir, "gluster"),
      `#!/bin/bash
for a in "$@"; do printf '%s\\0' "$a"; done >> "${dir}/argv"; printf '\\n' >> "${dir}/argv"
case "$*" in
  *"volume info"*) cat "${fixtures}/volume-info-missing.xml" ;;
  *) printf '<?xml version="1.0"?><cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>\\n' ;;
esac
`,
      { mode: 0o755 },
    );
    // A value starting with "-" is refused before a script exists (gluster would parse "--x" as
    // its own option wherever it stands): test/unit/validation.test.ts.
    const quotable = EVIL.filter((v) => !v.startsWith("-"));
    const options = Object.fromEntries(quotable.map((v, i) => [`user.evil${i}`, v]));
    const s = n.buildCreateVolume({
      cluster: "lab",
      name: "data",
      durability: { type: "replicate", replica: 3, arbiter: false },
      bricks: replica3,
      options,
    });
    const text = s.text
      .replace("export LC_ALL=C PATH=", `export LC_ALL=C PATH=${dir}:`)
      .replace(n.NODE_LOCK_FILE, path.join(dir, "node.lock"));
    const out = execFileSync("bash", ["-s"], { input: text, encoding: "utf8", cwd: dir });
    expect(out).toContain("@@change volume create data");
    expect(fs.existsSync("/tmp/pwned")).toBe(false);
    const calls = fs
      .readFileSync(path.join(dir, "argv"), "latin1")
      .split("\n")
      .filter(Boolean)
      .map((l) => Buffer.from(l, "latin1").toString("utf8").split("\0").slice(0, -1));
    const create = calls.find((c) => c.includes("create"));
    expect(create).toEqual([
      "--mode=script",
      "volume",
      "create",
      "data",
      "replica",
      "3",
      ...replica3.map((b) => `${b.host}:${b.path}`),
      "--xml",
    ]);
    const set = calls.find((c) => c.includes("set"));
    const pairs = set!.slice(4, -1);
    const got: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) got[pairs[i]!] = pairs[i + 1]!;
    expect(got).toEqual({ ...options, "user.glusterfs-provider.managed": "lab" });
  });
});

/** The shared helpers of a built script (everything before its first variable assignment), run locally. */
function helpers(text: string, firstLine: RegExp): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => firstLine.test(l));
  return lines.slice(0, i).join("\n");
}

describe("bash helpers, run locally", () => {
  test("fstab_put keeps one exact line per mount point; fstab_del removes it; comments survive", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fstab-"));
    const fstab = path.join(dir, "fstab");
    fs.writeFileSync(fstab, "# comment /m\n/dev/vda / ext4 defaults 0 1\n/dev/old /m xfs rw 1 2\n");
    const h = helpers(n.buildCreateBrick(brick).text, /^vg=/)
      .replace(/\/etc\/fstab/g, fstab)
      .replace(n.NODE_LOCK_FILE, path.join(dir, "node.lock"));
    const run = (cmd: string) => execFileSync("bash", ["-c", `${h}\n${cmd}`], { encoding: "utf8" });
    expect(run("fstab_put /m '/dev/new /m xfs rw,inode64 1 2'")).toBe("@@change fstab /m\n");
    expect(run("fstab_put /m '/dev/new /m xfs rw,inode64 1 2'")).toBe("");
    expect(run("fstab_put /other '/dev/o /other xfs rw 1 2'")).toBe("@@change fstab /other\n");
    expect(fs.readFileSync(fstab, "utf8")).toBe(
      "# comment /m\n/dev/vda / ext4 defaults 0 1\n/dev/new /m xfs rw,inode64 1 2\n/dev/o /other xfs rw 1 2\n",
    );
    expect(run("fstab_del /m")).toBe("@@change fstab-remove /m\n");
    expect(run("fstab_del /m")).toBe("");
    expect(fs.readFileSync(fstab, "utf8")).toBe(
      "# comment /m\n/dev/vda / ext4 defaults 0 1\n/dev/o /other xfs rw 1 2\n",
    );
  });

  test("volume info helpers read options, bricks and fields from real gluster XML", () => {
    const fixtures = path.resolve(__dirname, "../fixtures/node/gluster-10.3");
    const lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    const h = helpers(n.buildStartVolume({ cluster: "lab", name: "smoke" }).text, /^vol=/).replace(
      n.NODE_LOCK_FILE,
      path.join(lockDir, "node.lock"),
    );
    const run = (fixture: string, cmd: string) =>
      execFileSync(
        "bash",
        ["-c", `${h}\ninfo=$(cat ${JSON.stringify(path.join(fixtures, fixture))}); ${cmd}`],
        {
          encoding: "utf8",
        },
      );
    expect(
      run("volume-info-2x3.xml", "info_opt user.glusterfs-provider.managed; info_opt performance.cache-size"),
    ).toBe("lab\n32MB\n");
    expect(run("volume-info-2x3.xml", "info_opt nfs.disable; info_has_opt nope || echo absent")).toBe(
      "on\nabsent\n",
    );
    expect(run("volume-info-2x3.xml", "info_bricks").trim().split("\n")).toHaveLength(6);
    expect(
      run("volume-info-2x3.xml", "info_field statusStr; info_field brickCount; info_field replicaCount"),
    ).toBe("Started\n6\n3\n");
    expect(
      run(
        "volume-info-missing.xml",
        "info_ret=$(printf '%s' \"$info\" | xml_ret); info_exists || echo missing",
      ),
    ).toBe("missing\n");
  });
});

describe("ownership checks of the volume scripts, run locally against recorded gluster XML", () => {
  const fixture = fs.readFileSync(
    path.resolve(__dirname, "../fixtures/node/gluster-10.3/volume-info-2x3.xml"),
    "utf8",
  );
  /** The XML of volume `smoke` (managed by cluster lab), with an owner marker when given. */
  const infoWith = (owner?: string) =>
    owner === undefined
      ? fixture
      : fixture.replace(
          "<option>\n            <name>user.glusterfs-provider.managed</name>",
          `<option>\n            <name>user.glusterfs-provider.owner</name>\n            <value>${owner}</value>\n          </option>\n          <option>\n            <name>user.glusterfs-provider.managed</name>`,
        );
  /** Runs a whole built script with `gluster` answering from the XML; returns exit code and the mutating calls. */
  function runWith(script: { text: string }, xml: string): { code: number; calls: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gl-"));
    fs.writeFileSync(path.join(dir, "info.xml"), xml);
    const stub = `gluster() {
  case " $* " in
    *" volume info "*) cat ${dir}/info.xml ;;
    *) echo "$*" >> ${dir}/calls; echo '<cliOutput><opRet>0</opRet></cliOutput>' ;;
  esac
}
export -f gluster
`;
    const r = spawnSync("bash", ["-c", stub + script.text], { encoding: "utf8" });
    const callsFile = path.join(dir, "calls");
    const calls = fs.existsSync(callsFile) ? fs.readFileSync(callsFile, "utf8").trim().split("\n") : [];
    return { code: r.status ?? -1, calls };
  }
  const del = (over: Partial<n.DeleteVolumeSpec>) =>
    n.buildDeleteVolume({ cluster: "lab", name: "smoke", ...over });

  test("delete: a volume marked for another owner is refused, whatever the caller asks", () => {
    for (const over of [
      { owner: "p/s/mine", adopt: true },
      { adopt: true },
      { owner: "p/s/mine", ownedOnly: true },
    ])
      expect(runWith(del(over), infoWith("p/s/theirs"))).toEqual({ code: 3, calls: [] });
  });

  test("delete after a failed create: an unmarked volume is left alone; our own marked one goes", () => {
    expect(runWith(del({ owner: "p/s/mine", ownedOnly: true }), infoWith())).toEqual({ code: 3, calls: [] });
    const ours = runWith(del({ owner: "p/s/mine", ownedOnly: true }), infoWith("p/s/mine"));
    expect(ours.code).toBe(0);
    expect(ours.calls).toEqual([
      expect.stringMatching(/volume stop smoke/),
      expect.stringMatching(/volume delete smoke/),
    ]);
  });

  test("delete from state: an unmarked volume of this cluster (made before owner markers) goes", () => {
    const r = runWith(del({ owner: "p/s/mine", adopt: true }), infoWith());
    expect(r.code).toBe(0);
    expect(r.calls.at(-1)).toMatch(/volume delete smoke/);
  });

  test("the provider's own markers are set by create and by an owner claim, never taken from user options", () => {
    const ref = { cluster: "lab", name: "smoke", owner: "p/s/mine" };
    const create = n.buildCreateVolume({
      ...ref,
      durability: { type: "replicate", replica: 3, arbiter: false },
      bricks: replica3,
      rebalanced: 3,
    });
    expect(create.text).toMatch(
      /set -- user.glusterfs-provider.managed lab user.glusterfs-provider.owner p\/s\/mine user.glusterfs-provider.rebalanced 3/,
    );
    const claim = runWith(n.buildSetOptions({ ...ref, options: {}, markOwner: true }), infoWith());
    expect(claim).toEqual({
      code: 0,
      calls: [expect.stringMatching(/volume set smoke user.glusterfs-provider.owner p\/s\/mine/)],
    });
    expect(() => n.buildSetOptions({ ...ref, options: { "user.glusterfs-provider.owner": "x" } })).toThrow(
      /reserved/,
    );
  });

  test("set, start, rebalance, stop: refused on a volume marked for another owner", () => {
    const ref = { cluster: "lab", name: "smoke", owner: "p/s/mine" };
    for (const s of [
      n.buildSetOptions({ ...ref, options: { "performance.cache-size": "1MB" } }),
      n.buildStartVolume(ref),
      n.buildRebalance(ref),
      n.buildStopVolume(ref),
    ])
      expect(runWith(s, infoWith("p/s/theirs"))).toEqual({ code: 3, calls: [] });
    expect(
      runWith(
        n.buildSetOptions({ ...ref, options: { "performance.cache-size": "1MB" } }),
        infoWith("p/s/mine"),
      ),
    ).toEqual({ code: 0, calls: [expect.stringMatching(/volume set smoke performance.cache-size 1MB/)] });
  });
});
