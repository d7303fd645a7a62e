// Changing the pool in code: a node or a device added shows in preview as exactly that
// resource being created and applies as a peer probe or a device preparation; removed, as a
// delete that detaches or removes it; one that still holds bricks is refused with the reason.
import { labReset } from "../support/lab";
import { type Stack, expectOk, newStack, previewJson, pulumi } from "../support/pulumi";
import { clean, footprints } from "./nodes";

let stack: Stack;

function nodesConfig(count: number, extraDevice = false) {
  return stack.lab.nodes.slice(0, count).map((n, i) => ({
    name: n.name,
    address: n.address,
    storage: n.storageAddress,
    zone: i + 1,
    hostKey: n.hostKey,
    devices: i === 0 && extraDevice ? n.dataDisks.slice(0, 2) : n.dataDisks.slice(0, 1),
  }));
}

function setNodes(count: number, extraDevice = false): void {
  expectOk(
    pulumi(stack, ["config", "set", "nodes", JSON.stringify(nodesConfig(count, extraDevice))], {
      outsideLab: true,
    }),
  );
}

function changes(): string[] {
  const preview = previewJson(stack);
  expect(preview.code).toBe(0);
  return preview.steps
    .filter((s) => s.op !== "same")
    .map((s) => `${s.op} ${s.urn.split("::").pop()}`)
    .sort();
}

beforeAll(() => {
  labReset();
  stack = newStack("configurable", "topology");
  expectOk(pulumi(stack, ["config", "set", "volume", "false"], { outsideLab: true }));
  setNodes(2);
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
});

afterAll(() => labReset());

test("adding a node previews as exactly that node and its device, and probes it into the pool", () => {
  setNodes(3);
  expect(changes()).toEqual(["create gluster-3", "create gluster-3-vdb"]);
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
  for (const f of footprints()) expect(f.peers).toBe(2);
});

test("adding and removing a device previews and applies as that device alone", () => {
  setNodes(3, true);
  expect(changes()).toEqual(["create gluster-1-vdc"]);
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
  expect(footprints()[0]!.vgs.sort()).toEqual(["gfs_faults_vdb", "gfs_faults_vdc"]);
  setNodes(3);
  expect(changes()).toEqual(["delete gluster-1-vdc"]);
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
  expect(footprints()[0]!.vgs).toEqual(["gfs_faults_vdb"]);
});

test("removing a node that holds bricks is refused with the reason; without bricks it detaches", () => {
  expectOk(pulumi(stack, ["config", "set", "volume", "true"], { outsideLab: true }));
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
  setNodes(2);
  const refused = pulumi(stack, ["up", "--yes", "--skip-preview"]);
  expect(refused.code).not.toBe(0);
  expect(refused.stdout + refused.stderr).toMatch(/still holds bricks/);
  expect(footprints()[2]!.volumes).toEqual(["vol"]);

  setNodes(3);
  expectOk(pulumi(stack, ["config", "set", "volume", "false"], { outsideLab: true }));
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
  setNodes(2);
  expect(changes()).toEqual(["delete gluster-3", "delete gluster-3-vdb"]);
  expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
  const [a, b, c] = footprints();
  expect([a!.peers, b!.peers]).toEqual([1, 1]);
  expect(c).toEqual(clean("gluster-3"));
});
