// The other examples, each through the real CLI against the lab. heketi-topology is applied: up,
// the layout Gluster reports, a client write and read, and a destroy that leaves the nodes clean.
// arbiter and disperse are previewed against the same nodes: the program runs, the provider reads
// the nodes and plans, and the planned layout is the one the example asks for, with nothing
// changed on any node. Volumes of both layouts are made, grown, cut and destroyed for real by
// several-volumes.test.ts (arbitrated and dispersed, through the same SDK and provider); applying
// each example again here cost two more whole pool lifecycles of CI time.
import { labReset } from "../support/lab";
import { type Stack, expectOk, newStack, previewJson, pulumi, stackOutputs } from "../support/pulumi";
import { clean, footprints, inLab } from "./nodes";

type BrickOut = { node: string; storage: string; set: number; index: number; role: string; size: number };

function roundTrip(stack: Stack, volume: string): void {
  const out = stackOutputs(stack);
  expect(out.mountSource).toBe(`${(out.bricks as BrickOut[])[0]!.storage}:/${volume}`);
  const mnt = `/mnt/e2e-${volume}`;
  const r = inLab(
    `mkdir -p ${mnt} && mount -t glusterfs ${out.mountSource} ${mnt} && ` +
      `head -c 1048576 /dev/urandom > /tmp/e2e-${volume}.bin && cp /tmp/e2e-${volume}.bin ${mnt}/blob && ` +
      `umount ${mnt} && mount -t glusterfs ${out.mountSource} ${mnt} && cmp ${mnt}/blob /tmp/e2e-${volume}.bin; ` +
      `rc=$?; umount -l ${mnt}; exit $rc`,
  );
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
}

function volumeInfo(volume: string): string {
  const node = `ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;
  return inLab(`${node} -i ${labKey()} root@gluster-1 gluster --mode=script volume info ${volume}`).stdout;
}

let key = "";
function labKey(): string {
  return key;
}

describe.each([
  ["arbiter", "vmstore"],
  ["disperse", "archive"],
])("example %s, previewed", (example, volume) => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack(example);
  });

  test("preview plans the layout the example asks for and changes nothing", () => {
    const preview = previewJson(stack);
    expect({ code: preview.code, stderr: preview.code === 0 ? "" : preview.stderr }).toEqual({
      code: 0,
      stderr: "",
    });
    const step = preview.steps.find((s) => s.urn.endsWith(`glusterfs:Volume::${volume}`));
    expect(step?.op).toBe("create");
    const bricks = step?.newState?.inputs?.bricks as (BrickOut & { node: string })[];
    expect(bricks).toHaveLength(3);
    expect(new Set(bricks.map((b) => b.storage)).size).toBe(3);
    if (example === "arbiter") {
      // The node tagged `arbiter: required` takes the arbiter brick, smaller than the data ones.
      const arbiters = bricks.filter((b) => b.role === "arbiter");
      expect(arbiters.map((b) => b.storage)).toEqual(["gluster-3"]);
      expect(arbiters[0]!.size).toBeLessThan(bricks.find((b) => b.role === "data")!.size);
    } else {
      // 2 + 1: every brick holds data (no arbiter role), one set of three.
      expect(bricks.map((b) => b.role)).toEqual(["data", "data", "data"]);
      expect(new Set(bricks.map((b) => b.set)).size).toBe(1);
    }
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});

describe.each([["heketi-topology", "shared"]])("example %s", (example, volume) => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack(example);
    key = stack.lab.nodes[0]!.privateKeyPath;
    const hostKeys = Object.fromEntries(stack.lab.nodes.map((n) => [n.name, n.hostKey]));
    expectOk(pulumi(stack, ["config", "set", "hostKeys", JSON.stringify(hostKeys)], { outsideLab: true }));
  });

  test("up builds the volume with the layout the example asks for, and a client can use it", () => {
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const bricks = stackOutputs(stack).bricks as BrickOut[];
    const info = volumeInfo(volume);
    expect(info).toMatch(/Type: Replicate/);
    expect(new Set(bricks.map((b) => b.storage))).toEqual(new Set(["gluster-1", "gluster-2", "gluster-3"]));
    roundTrip(stack, volume);
  });

  test("destroy leaves the nodes clean", () => {
    expectOk(pulumi(stack, ["destroy", "--yes", "--skip-preview"]));
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});
