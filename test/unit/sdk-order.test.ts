// Declaration order does not matter: a Volume declared before its cluster's Nodes and Devices
// (some after an `await`, one address another resource's output, one device declared in an
// apply) registers a topology holding every one of them, and depends on each. The program runs
// in a Node.js process of its own under Pulumi's mocks, so the end of the program is signalled
// as under the Pulumi CLI (the event loop drains, `beforeExit`), not by the test.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
}

let registered: Registered[];
const named = (name: string) => registered.find((r) => r.name === name)!;

beforeAll(() => {
  const root = path.resolve(__dirname, "../..");
  const out = execFileSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, "sdk-order-program.ts")],
    { cwd: root, encoding: "utf8", timeout: 120_000 },
  );
  registered = JSON.parse(out) as Registered[];
}, 150_000);

test("every resource of the program is registered, the volume last", () => {
  expect(registered.map((r) => r.name)).toHaveLength(10);
  expect(registered[registered.length - 1]!.name).toBe("v");
});

test("the volume declared first sees every node and device, in declaration order, with their inputs resolved", () => {
  expect(named("v").inputs.topology).toEqual([
    {
      manageAddress: "10.0.0.1",
      storageAddress: "10.0.0.1",
      zone: 1,
      tags: {},
      connection: { host: "10.0.0.1" },
      devices: [{ path: "/dev/vdb", tags: {} }],
    },
    {
      manageAddress: "10.0.0.2",
      storageAddress: "10.0.0.2",
      zone: 2,
      tags: {},
      connection: { host: "10.0.0.2" },
      devices: [{ path: "/dev/vdb", tags: { disk: "ssd" } }],
    },
    {
      manageAddress: "10.0.0.3",
      storageAddress: "10.0.0.3",
      zone: 3,
      tags: { rack: "r3" },
      connection: { host: "10.0.0.3" },
      devices: [
        { path: "/dev/vdb", tags: {} },
        { path: "/dev/vdc", tags: {} },
      ],
    },
  ]);
});

test("the volume depends on the cluster, every node and every device, so the engine makes them first", () => {
  const deps = named("v").dependencies;
  for (const name of ["c", "n1", "n2", "n3", "n1-vdb", "n2-vdb", "n3-vdb", "n3-vdc"]) {
    const r = named(name);
    expect({ name, depended: deps.some((d) => d.endsWith(`::${r.name}`) && d.includes(r.type)) }).toEqual({
      name,
      depended: true,
    });
  }
});

test("a node's address from another resource's output reaches the node, its devices and its successors", () => {
  expect(named("n3").inputs.manageAddress).toBe("10.0.0.3");
  expect(named("n3-vdb").inputs.node).toBe("10.0.0.3");
  expect(named("n3").dependencies.some((d) => d.endsWith("test:index:Vm::vm"))).toBe(true);
  expect(named("n2").inputs.members).toEqual([
    { manageAddress: "10.0.0.1", storageAddress: "10.0.0.1", connection: { host: "10.0.0.1" } },
  ]);
});

describe("a node declared after the volumes took their topology", () => {
  test("fails the program naming it, instead of being left out silently", async () => {
    const names: string[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          names.push(args.name);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    const sdk = await import("../../sdk/nodejs");
    const cluster = new sdk.GlusterCluster("late", {});
    const n1 = new sdk.Node("late-1", { cluster, manageAddress: "10.0.9.1" });
    new sdk.Device("late-1-vdb", { node: n1, path: "/dev/vdb" });
    const volume = new sdk.Volume("late-v", { cluster, size: "1GiB" });
    sdk.programDeclared();
    await new Promise<void>((resolve) => volume.urn.apply(() => resolve()));
    expect(() => new sdk.Node("late-2", { cluster, manageAddress: "10.0.9.2" })).toThrow(
      /node late-2 was declared after volume late-v took the nodes and devices of its cluster/,
    );
    expect(() => new sdk.Device("late-1-vdc", { node: n1, path: "/dev/vdc" })).toThrow(
      /device late-1-vdc was declared after volume late-v/,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(names.sort()).toEqual(["late", "late-1", "late-1-vdb", "late-v"]);
  }, 60_000);
});
