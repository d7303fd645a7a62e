// examples/addresses-from-outputs through the real CLI on the lab: node addresses and device
// paths are another resource's outputs, unknown in the first preview. That preview succeeds and
// plans no bricks; `up` makes everything; the next preview plans nothing new (no changes).
import { labReset } from "../support/lab";
import { type Stack, expectOk, newStack, previewJson, pulumi, stackOutputs } from "../support/pulumi";
import { clean, footprints } from "./nodes";

let stack: Stack;

beforeAll(() => {
  labReset();
  stack = newStack("addresses-from-outputs");
});

describe("addresses from another resource's outputs", () => {
  test("the first preview, with every address unknown, succeeds and plans no bricks", () => {
    const preview = previewJson(stack);
    expect({ code: preview.code, stderr: preview.code === 0 ? "" : preview.stderr }).toEqual({
      code: 0,
      stderr: "",
    });
    const volume = preview.steps.find((s) => s.urn.endsWith("glusterfs:Volume::data"));
    expect(volume?.op).toBe("create");
    expect(volume?.newState?.inputs?.bricks).toBeUndefined();
    const node = preview.steps.find((s) => s.urn.endsWith("glusterfs:Node::gluster-1"));
    expect(node?.op).toBe("create");
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });

  test("up makes the nodes, devices and volume on the addresses the inventory gave", () => {
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const out = stackOutputs(stack);
    const bricks = out.bricks as { storage: string; device: string }[];
    expect(bricks).toHaveLength(3);
    expect(new Set(bricks.map((b) => b.storage))).toEqual(new Set(["gluster-1", "gluster-2", "gluster-3"]));
    expect(out.mountSource).toBe(`${bricks[0]!.storage}:/fromoutputs`);
    for (const f of footprints()) expect(f.volumes).toEqual(["fromoutputs"]);
  });

  test("the next preview, with the addresses known, plans the bricks it holds and shows no changes", () => {
    const preview = previewJson(stack);
    expect(preview.code).toBe(0);
    // `preview --json` lists only steps that change something (unchanged ones need --show-sames).
    expect(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn}`)).toEqual([]);
  });

  test("destroy leaves the nodes clean", () => {
    expectOk(pulumi(stack, ["destroy", "--yes", "--skip-preview"]));
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});
