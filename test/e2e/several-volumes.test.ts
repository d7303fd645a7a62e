// examples/several-volumes through the real CLI: three volumes of different durability made,
// expanded and destroyed by one `up` each (the engine runs them in parallel on the same nodes);
// expansions cut at each
// step (PULUMI_GLUSTERFS_FAULT, and a node's power), each finished by the next `up`; credentials
// searched for in everything the CLI stored or printed. After every change: the data written
// through a FUSE client reads back with the same checksums, and every node carries exactly the
// LVs, mounts and fstab lines of the bricks in state, with its original fstab lines untouched.
import * as fs from "node:fs";
import * as path from "node:path";
import { type LabNode, labPower, labReset, labSsh } from "../support/lab";
import { type Stack, expectOk, newStack, pulumi, stackOutputs } from "../support/pulumi";
import { clean, footprints, inLab } from "./nodes";

const NODES = ["gluster-1", "gluster-2", "gluster-3"];
const BRICK_ROOT = "/var/lib/glusterfs-bricks/";
const PASSWORD = "e2e-Pa55-9f3b7c1d-not-a-real-one";
const FAULT = "PULUMI_GLUSTERFS_FAULT";

type BrickOut = { node: string; storage: string; set: number; index: number; path: string; device: string };

function setConfig(stack: Stack, key: string, value: string): void {
  expectOk(pulumi(stack, ["config", "set", key, value], { outsideLab: true }));
}

/** The stack's `nodes` config: the lab's three nodes, with the given disks each. */
function setNodes(stack: Stack, devices: string[]): void {
  const nodes = stack.lab.nodes.slice(0, 3).map((n, i) => ({
    name: n.name,
    address: n.address,
    storage: n.storageAddress,
    zone: i + 1,
    hostKey: n.hostKey,
    devices,
  }));
  setConfig(stack, "nodes", JSON.stringify(nodes));
}

function labNode(stack: Stack, name: string): LabNode {
  return stack.lab.nodes.find((n) => n.name === name)!;
}

function readFstab(stack: Stack): Record<string, string> {
  return Object.fromEntries(
    NODES.map((name) => {
      const r = labSsh(labNode(stack, name), "cat /etc/fstab");
      if (r.code !== 0) throw new Error(`reading /etc/fstab of ${name}: ${r.stderr}`);
      return [name, r.stdout];
    }),
  );
}

/** The bricks of every volume of the stack, from its outputs. */
function bricksOf(stack: Stack): Record<string, BrickOut[]> {
  return stackOutputs(stack).bricks as Record<string, BrickOut[]>;
}

function volumeInfo(stack: Stack, volume: string): string {
  return labSsh(labNode(stack, "gluster-1"), `gluster --mode=script volume info ${volume}`).stdout;
}

/**
 * Every node carries exactly the bricks in state (one thin pool, one thin LV, one mount and one
 * fstab line each, nothing else of ours), and its fstab is the original file plus those lines.
 */
function expectExactlyTheBricksInState(stacks: Stack[], original: Record<string, string>): void {
  const bricks = stacks.flatMap((s) => Object.values(bricksOf(s)).flat());
  const fstab = readFstab(stacks[0]!);
  for (const f of footprints()) {
    const mine = bricks.filter((b) => b.storage === f.node);
    // A brick's directory is one level below its mount.
    const paths = mine.map((b) => b.path.replace(/\/brick$/, "")).sort();
    expect({ node: f.node, mounts: [...f.mounts].sort() }).toEqual({ node: f.node, mounts: paths });
    const ourLines = fstab[f.node]!.split("\n").filter((l) => l.includes(BRICK_ROOT));
    expect({ node: f.node, fstab: ourLines.map((l) => l.split(/\s+/)[1]).sort() }).toEqual({
      node: f.node,
      fstab: paths,
    });
    const kept = fstab[f.node]!.split("\n")
      .filter((l) => !l.includes(BRICK_ROOT))
      .join("\n");
    expect({ node: f.node, fstab: kept }).toEqual({ node: f.node, fstab: original[f.node] });
    expect({ node: f.node, thinLvs: f.lvs.filter((l) => l.startsWith("brick_")).length }).toEqual({
      node: f.node,
      thinLvs: mine.length,
    });
    expect({ node: f.node, pools: f.lvs.filter((l) => l.startsWith("tp_")).length }).toEqual({
      node: f.node,
      pools: mine.length,
    });
  }
}

/** Nothing of ours on any node, and every fstab byte for byte as it was before the first `up`. */
function expectClean(stack: Stack, original: Record<string, string>, peers = 0): void {
  expect(footprints()).toEqual(NODES.map((n) => ({ ...clean(n), peers })));
  const dirs = NODES.map((n) => labSsh(labNode(stack, n), `ls -A ${BRICK_ROOT} 2>/dev/null || true`).stdout);
  expect(dirs).toEqual(NODES.map(() => ""));
  expect(readFstab(stack)).toEqual(original);
}

/** Checksums of the files written to each volume, kept on the test machine. */
function sumsFile(stack: Stack, volume: string): string {
  return path.join(stack.dir, `${volume}.sha256`);
}

const mountSources = new Map<string, Record<string, string>>();

/** Mounts VOLUME through FUSE inside the lab's namespace, runs COMMAND in it, unmounts. */
function onVolume(stack: Stack, volume: string, command: string) {
  if (!mountSources.has(stack.dir))
    mountSources.set(stack.dir, stackOutputs(stack).mountSources as Record<string, string>);
  const source = mountSources.get(stack.dir)![volume]!;
  const mnt = `/mnt/e2e-${stack.name}-${volume}`;
  return inLab(
    `mkdir -p ${mnt} && mount -t glusterfs -o backup-volfile-servers=gluster-2:gluster-3 ${source} ${mnt} && ` +
      `(cd ${mnt} && ${command}); rc=$?; umount ${mnt}; exit $rc`,
  );
}

/** Writes a batch of files to every volume and adds their checksums to the volume's list. */
function writeBatch(stack: Stack, volumes: string[], batch: string): void {
  for (const v of volumes) {
    const r = onVolume(
      stack,
      v,
      `for i in $(seq 1 8); do head -c 262144 /dev/urandom > ${batch}-$i; done && sha256sum ${batch}-* >> ${sumsFile(stack, v)}`,
    );
    expect({ volume: v, code: r.code, stderr: r.stderr }).toEqual({ volume: v, code: 0, stderr: "" });
  }
}

/** Every file ever written to every volume reads back with its checksum. */
function expectChecksums(stack: Stack, volumes: string[]): void {
  for (const v of volumes) {
    const r = onVolume(
      stack,
      v,
      `sha256sum --quiet -c ${sumsFile(stack, v)} && wc -l < ${sumsFile(stack, v)}`,
    );
    expect({ volume: v, code: r.code, out: r.stdout + r.stderr }).toEqual({
      volume: v,
      code: 0,
      out: expect.stringMatching(/^\d+\n$/),
    });
  }
}

/** The number of bricks Gluster reports for the volume. */
function liveBricks(stack: Stack, volume: string): number {
  const m = /Number of Bricks: .*= (\d+)/.exec(volumeInfo(stack, volume));
  return m ? Number(m[1]) : 0;
}

/** One line of the key's base64 body: distinctive, and what a leak of the key would contain. */
function keyMaterial(keyFile: string): string {
  const body = fs
    .readFileSync(keyFile, "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("-----"));
  return body[Math.min(2, body.length - 1)]!;
}

describe("three volumes of different durability in one stack", () => {
  let stack: Stack;
  let original: Record<string, string>;
  const VOLUMES = ["replicated", "arbitrated", "dispersed"];
  // Everything the CLI printed, searched for credentials at the end.
  const printed: string[] = [];
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = pulumi({ ...stack, env: { ...stack.env, ...env } }, args);
    printed.push(r.stdout, r.stderr);
    return r;
  };
  const up = (env: NodeJS.ProcessEnv = {}) => run(["up", "--yes", "--skip-preview"], env);

  beforeAll(() => {
    labReset();
    stack = newStack("several-volumes", "several");
    setNodes(stack, ["/dev/vdb", "/dev/vdc"]);
    // The credentials as a user passes them in a program: the key read from a file into the
    // cluster's `connection` as a plain string, a password from plain config. No stack secret.
    setConfig(stack, "privateKeyFile", stack.lab.nodes[0]!.privateKeyPath);
    expectOk(pulumi(stack, ["config", "set", "--secret", "password", PASSWORD], { outsideLab: true }));
    expectOk(pulumi(stack, ["config", "rm", "glusterfs:privateKey"], { outsideLab: true }));
    original = readFstab(stack);
  });

  test("one up creates the three volumes at once, and a client writes to each", () => {
    // The preview of a create shows every input of every resource: credentials included, if copied.
    expect(run(["preview", "--diff"]).code).toBe(0);
    expectOk(up());
    expect(volumeInfo(stack, "replicated")).toMatch(/Type: Replicate[\s\S]*Number of Bricks: 1 x 3 = 3/);
    expect(volumeInfo(stack, "arbitrated")).toMatch(/Number of Bricks: 1 x \(2 \+ 1\) = 3/);
    expect(volumeInfo(stack, "dispersed")).toMatch(
      /Type: Disperse[\s\S]*Number of Bricks: 1 x \(2 \+ 1\) = 3/,
    );
    for (const f of footprints()) expect(f.volumes.sort()).toEqual([...VOLUMES].sort());
    expectExactlyTheBricksInState([stack], original);
    writeBatch(stack, VOLUMES, "created");
    expectChecksums(stack, VOLUMES);
  });

  // Each volume grows by one set in an `up` that is cut at one step (the hook fires once per
  // provider process), and the next `up` both finishes that plan and carries the next volume's
  // growth with its own cut: a failure is followed by a run that has more to do, as in use. The
  // last cut is followed by a power loss of a node, and one plain `up` finishes everything.
  const cuts = [
    { volume: "arbitrated", size: "2Gi", fault: "after:volume.add-bricks" },
    { volume: "dispersed", size: "4Gi", fault: "during:volume.rebalance:4000" },
    { volume: "replicated", size: "2Gi", fault: "after:brick.create" },
  ];
  test.each(cuts.map((c, i) => [c.fault, c.volume, i] as const))(
    "an up cut %s (growing %s, finishing the cut before it) fails with the step named",
    (fault, volume, i) => {
      setConfig(stack, `${volume}Size`, cuts[i]!.size);
      const cut = up({ [FAULT]: fault });
      expect(cut.code).not.toBe(0);
      expect(cut.stdout + cut.stderr).toMatch(
        new RegExp(`step ${fault.split(":")[1]}: the connection closed`),
      );
      // Whatever it finished or not, nothing of another volume was touched and the data is intact.
      expectChecksums(stack, VOLUMES);
    },
  );

  test("a node powered off and back after the last cut: the next up converges every volume", () => {
    labPower(3, "off");
    labPower(3, "on");
    expectOk(up());
    for (const v of VOLUMES) expect({ v, bricks: liveBricks(stack, v) }).toEqual({ v, bricks: 6 });
    expectExactlyTheBricksInState([stack], original);
    expectChecksums(stack, VOLUMES);
    expect(run(["preview", "--expect-no-changes"]).code).toBe(0);
  });

  test("no credential in the stack's state, its diffs or the CLI's output", () => {
    const key = keyMaterial(stack.lab.nodes[0]!.privateKeyPath);
    setConfig(stack, "dispersedSize", "6Gi"); // a pending change, so the diff shows the volume's inputs
    const diff = run(["preview", "--diff"]);
    expectOk(pulumi(stack, ["config", "set", "dispersedSize", "4Gi"], { outsideLab: true }));
    const exported = expectOk(pulumi(stack, ["stack", "export"], { outsideLab: true })).stdout;
    expect(exported).toContain("glusterfs:Volume"); // the export is the real state
    const places: Record<string, string> = {
      "stack export": exported,
      "preview --diff": diff.stdout + diff.stderr,
      "CLI output": printed.join("\n"),
    };
    for (const [where, text] of Object.entries(places)) {
      expect({ where, key: text.includes(key) }).toEqual({ where, key: false });
      expect({ where, password: text.includes(PASSWORD) }).toEqual({ where, password: false });
    }
  });

  test("one destroy removes all three at once and leaves every node as it was", () => {
    const r = run(["destroy", "--yes", "--skip-preview"]);
    expectOk(r);
    expect(r.stdout + r.stderr).not.toContain(keyMaterial(stack.lab.nodes[0]!.privateKeyPath));
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expectClean(stack, original);
  });
});
