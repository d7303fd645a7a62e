// A program run by sdk-order.test.ts in a process of its own, under Pulumi's mocks, so Node.js
// emits `beforeExit` as it does when the Pulumi CLI runs a program. It declares the Volume first,
// then its nodes and devices: synchronously, after an `await`, and with an address that is
// another resource's output. On exit it prints what each resource registered, as JSON.
import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
}
const registered: Registered[] = [];
const dependencies = new Map<string, string[]>();

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({
        type: args.type,
        name: args.name,
        inputs: args.inputs as Record<string, unknown>,
        dependencies: dependencies.get(args.name) ?? [],
      });
      // A stand-in VM whose address is known only once it exists.
      const state = args.type === "test:index:Vm" ? { privateIp: "10.0.0.3" } : args.inputs;
      return { id: `${args.name}-id`, state };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);
// The mocks hide resource options; note each resource's dependencies on the way to them.
type Request = { getName(): string; getDependenciesList(): string[] };
type Register = (req: Request, cb: unknown) => unknown;
const monitor = (pulumi.runtime as unknown as { getMonitor(): { registerResource: Register } }).getMonitor();
const register = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, cb) => {
  dependencies.set(req.getName(), req.getDependenciesList());
  return register(req, cb);
};
process.on("exit", () => process.stdout.write(JSON.stringify(registered)));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("../../sdk/nodejs") as typeof import("../../sdk/nodejs");

class Vm extends pulumi.CustomResource {
  public readonly privateIp!: pulumi.Output<string>;
  constructor(name: string) {
    super("test:index:Vm", name, { privateIp: undefined });
  }
}

async function main(): Promise<void> {
  const cluster = new sdk.GlusterCluster("c", {});
  new sdk.Volume("v", { cluster, size: "1GiB" });
  const n1 = new sdk.Node("n1", { cluster, manageAddress: "10.0.0.1", zone: 1 });
  new sdk.Device("n1-vdb", { node: n1, path: "/dev/vdb" });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const n2 = new sdk.Node("n2", { cluster, manageAddress: pulumi.output("10.0.0.2"), zone: 2 });
  new sdk.Device("n2-vdb", { node: n2, path: pulumi.output("/dev/vdb"), tags: { disk: "ssd" } });
  const vm = new Vm("vm");
  const n3 = new sdk.Node("n3", {
    cluster,
    manageAddress: vm.privateIp,
    zone: pulumi.output(3),
    tags: { rack: pulumi.output("r3") },
  });
  new sdk.Device("n3-vdb", { node: n3, path: "/dev/vdb" });
  // A device declared from an apply, once another resource's output resolved.
  vm.privateIp.apply(() => new sdk.Device("n3-vdc", { node: n3, path: "/dev/vdc" }));
}
void main();
