// The other examples, each through the real CLI against the lab: up, the layout Gluster
// reports, a client write and read, and a destroy that leaves the nodes clean.
import { labReset } from "../support/lab";
import { type Stack, expectOk, newStack, pulumi, stackOutputs } from "../support/pulumi";
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
  ["heketi-topology", "shared"],
])("example %s", (example, volume) => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack(example);
    key = stack.lab.nodes[0]!.privateKeyPath;
    if (example === "heketi-topology") {
      const hostKeys = Object.fromEntries(stack.lab.nodes.map((n) => [n.name, n.hostKey]));
      expectOk(pulumi(stack, ["config", "set", "hostKeys", JSON.stringify(hostKeys)], { outsideLab: true }));
    }
  });

  test("up builds the volume with the layout the example asks for, and a client can use it", () => {
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const bricks = stackOutputs(stack).bricks as BrickOut[];
    const info = volumeInfo(volume);
    if (example === "arbiter") {
      expect(info).toMatch(/Number of Bricks: 1 x \(2 \+ 1\) = 3/);
      const arbiters = bricks.filter((b) => b.role === "arbiter");
      expect(arbiters).toHaveLength(1);
      expect(arbiters[0]!.storage).toBe("gluster-3");
      expect(arbiters[0]!.size).toBeLessThan(bricks.find((b) => b.role === "data")!.size);
    } else if (example === "disperse") {
      expect(info).toMatch(/Type: Disperse/);
      expect(info).toMatch(/Number of Bricks: 1 x \(2 \+ 1\) = 3/);
    } else {
      expect(info).toMatch(/Type: Replicate/);
      expect(new Set(bricks.map((b) => b.storage))).toEqual(new Set(["gluster-1", "gluster-2", "gluster-3"]));
    }
    roundTrip(stack, volume);
  });

  test("destroy leaves the nodes clean", () => {
    expectOk(pulumi(stack, ["destroy", "--yes", "--skip-preview"]));
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});
