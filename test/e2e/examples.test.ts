// The other examples, each run through the real CLI against the lab by preview: the program runs,
// the provider reads the nodes and plans, the planned layout is the one the example asks for, and
// nothing changes on any node. Volumes of these layouts (replica 3, arbiter, disperse 2+1) are
// made, grown, cut and destroyed for real by several-volumes and quickstart through the same SDK
// and provider; applying each example again cost whole pool lifecycles the 90-minute CI cannot
// afford until the node steps are faster (issue 14).
import { labReset } from "../support/lab";
import { type Stack, expectOk, newStack, previewJson, pulumi } from "../support/pulumi";
import { clean, footprints } from "./nodes";

type BrickOut = { node: string; storage: string; set: number; index: number; role: string; size: number };

/** Previews the stack: it succeeds and plans VOLUME as a create; returns the bricks it planned. */
function plannedCreate(stack: Stack, volume: string): BrickOut[] {
  const preview = previewJson(stack);
  expect({ code: preview.code, stderr: preview.code === 0 ? "" : preview.stderr }).toEqual({
    code: 0,
    stderr: "",
  });
  const step = preview.steps.find((s) => s.urn.endsWith(`glusterfs:Volume::${volume}`));
  expect(step?.op).toBe("create");
  return step?.newState?.inputs?.bricks as BrickOut[];
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
    const bricks = plannedCreate(stack, volume);
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

describe.each([["heketi-topology", "shared"]])("example %s, previewed", (example, volume) => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack(example);
    const hostKeys = Object.fromEntries(stack.lab.nodes.map((n) => [n.name, n.hostKey]));
    expectOk(pulumi(stack, ["config", "set", "hostKeys", JSON.stringify(hostKeys)], { outsideLab: true }));
  });

  test("preview loads topology.json and plans a replica-3 set across its three nodes, changing nothing", () => {
    const bricks = plannedCreate(stack, volume);
    expect(new Set(bricks.map((b) => b.storage))).toEqual(new Set(["gluster-1", "gluster-2", "gluster-3"]));
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});
