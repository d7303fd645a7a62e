// The SDK under Pulumi's mocks: whatever way the user hands in a password or key (a plain string
// in a cluster's or node's connection, pulumi.secret, a jump host's fields), it reaches the
// engine only inside one secret input, `credentials`, registered as a secret output too.
import * as pulumi from "@pulumi/pulumi";

type Inputs = Record<string, unknown>;
interface Registered {
  type: string;
  name: string;
  inputs: Inputs;
  additionalSecretOutputs: string[];
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const isSecret = (v: unknown) =>
  !!v && typeof v === "object" && (v as Record<string, unknown>)[SIG] === SECRET;

let registered: Registered[] = [];
let pendingOptions: Map<string, string[]>;

function useMocks(): void {
  registered = [];
  pendingOptions = new Map();
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Inputs,
          additionalSecretOutputs: pendingOptions.get(args.name) ?? [],
        });
        return { id: `${args.name}-id`, state: {} };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
  // The mocks hide resource options; record additionalSecretOutputs on the way to them.
  type Request = { getName(): string; getAdditionalsecretoutputsList(): string[] };
  type Register = (req: Request, cb: unknown) => unknown;
  const monitor = (
    pulumi.runtime as unknown as { getMonitor(): { registerResource: Register } }
  ).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    pendingOptions.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, cb);
  };
}

/** Waits until every resource the program declared reached the mocks. */
async function settle(count: number): Promise<void> {
  // Volumes take their cluster's nodes once the program says it has declared them (in a real
  // run, Node.js's beforeExit says it; sdk-order.test.ts runs that path).
  (await import("../../sdk/nodejs")).programDeclared();
  for (let i = 0; i < 400 && registered.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(registered.length).toBe(count);
}

const PASSWORD = "cluster-Passw0rd-4711";
const KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAnodeKEYmaterial0123456789\n-----END OPENSSH PRIVATE KEY-----\n";
const PASSPHRASE = "key-passphrase-0815";
const PROXY_PASSWORD = "bastion-Passw0rd-42";
const ALL = [PASSWORD, KEY.split("\n")[1]!, PASSPHRASE, PROXY_PASSWORD];

async function declare(secretly: boolean) {
  const wrap = (v: string): pulumi.Input<string> => (secretly ? pulumi.secret(v) : v);
  const sdk = await import("../../sdk/nodejs");
  const cluster = new sdk.GlusterCluster("c", {
    connection: {
      user: "root",
      password: wrap(PASSWORD),
      proxy: { host: "bastion", password: wrap(PROXY_PASSWORD) },
    },
  });
  const n1 = new sdk.Node("n1", { cluster, manageAddress: "10.0.0.1" });
  const n2 = new sdk.Node("n2", {
    cluster,
    manageAddress: "10.0.0.2",
    connection: {
      privateKey: wrap(KEY),
      privateKeyPassword: wrap(PASSPHRASE),
      hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    },
  });
  const n3 = new sdk.Node("n3", { cluster, manageAddress: "10.0.0.3" });
  for (const [n, name] of [
    [n1, "10.0.0.1"],
    [n2, "10.0.0.2"],
    [n3, "10.0.0.3"],
  ] as const)
    new sdk.Device(`${name}-vdb`, { node: n, path: "/dev/vdb" });
  new sdk.Volume("v", { cluster, size: "1GiB" });
}

describe.each([
  ["plain strings", false],
  ["pulumi.secret", true],
])("credentials given as %s", (_label, secretly) => {
  beforeAll(async () => {
    useMocks();
    await declare(secretly);
    await settle(8);
  }, 60_000);

  test("appear in no input except the one secret `credentials` input", () => {
    for (const r of registered) {
      for (const [key, value] of Object.entries(r.inputs)) {
        if (key === "credentials" || key === "__provider") continue;
        const text = JSON.stringify(value);
        for (const s of ALL)
          expect({ resource: r.name, key, leaks: text.includes(s) }).toEqual({
            resource: r.name,
            key,
            leaks: false,
          });
      }
    }
  });

  test("reach every resource that dials, as a secret input and a secret output", () => {
    for (const r of registered.filter((x) => !x.type.endsWith(":GlusterCluster"))) {
      expect({ resource: r.name, secret: isSecret(r.inputs.credentials) }).toEqual({
        resource: r.name,
        secret: true,
      });
      expect(r.additionalSecretOutputs).toContain("credentials");
    }
    const cluster = registered.find((x) => x.type.endsWith(":GlusterCluster"))!;
    expect(cluster.inputs.credentials).toBeUndefined();
  });

  test("leave the rest of the connection readable", () => {
    const n2 = registered.find((r) => r.name === "n2")!;
    expect(isSecret(n2.inputs.connection)).toBe(false);
    expect(n2.inputs.connection).toMatchObject({
      host: "10.0.0.2",
      user: "root",
      proxy: { host: "bastion" },
    });
    const v = registered.find((r) => r.name === "v")!;
    expect(isSecret(v.inputs.topology)).toBe(false);
  });
});

const named = (name: string) => registered.find((r) => r.name === name)!;
const secretValue = (v: unknown) => (v as Record<string, unknown>).value as Record<string, unknown>;

describe("credentials go only where they are dialled", () => {
  beforeAll(async () => {
    useMocks();
    await declare(false);
    await settle(8);
  }, 60_000);

  test("a node carries its own and those of the nodes declared before it", () => {
    expect(Object.keys(secretValue(named("n1").inputs.credentials)).sort()).toEqual(["10.0.0.1"]);
    expect(Object.keys(secretValue(named("n3").inputs.credentials)).sort()).toEqual([
      "10.0.0.1",
      "10.0.0.2",
      "10.0.0.3",
    ]);
    expect(secretValue(named("n3").inputs.credentials)["10.0.0.2"]).toEqual({
      password: PASSWORD,
      privateKey: KEY,
      privateKeyPassword: PASSPHRASE,
      proxy: { password: PROXY_PASSWORD },
    });
  });

  test("a device carries only its node's, a volume every node's", () => {
    expect(Object.keys(secretValue(named("10.0.0.2-vdb").inputs.credentials))).toEqual(["10.0.0.2"]);
    expect(Object.keys(secretValue(named("v").inputs.credentials)).sort()).toEqual([
      "10.0.0.1",
      "10.0.0.2",
      "10.0.0.3",
    ]);
  });
});

describe("other ways of giving a connection", () => {
  test("stack config only (no secret in the program): no credentials input at all", async () => {
    useMocks();
    const sdk = await import("../../sdk/nodejs");
    const cluster = new sdk.GlusterCluster("c2", { connection: { user: "admin", sudo: true } });
    const n = new sdk.Node("m1", { cluster, manageAddress: "10.0.1.1" });
    new sdk.Device("m1-vdb", { node: n, path: "/dev/vdb" });
    new sdk.Volume("v2", { cluster, size: "1GiB" });
    await settle(4);
    for (const r of registered) expect(r.inputs.credentials).toBeUndefined();
    expect(named("m1").inputs.connection).toEqual({ host: "10.0.1.1", user: "admin", sudo: true });
  });

  test("a key file (privateKeyPath): no credentials input, no key in any resource's inputs, only the path", async () => {
    useMocks();
    const sdk = await import("../../sdk/nodejs");
    const keyFile = "/home/ops/.ssh/gluster_ed25519";
    const cluster = new sdk.GlusterCluster("c3", { connection: { user: "root", privateKeyPath: keyFile } });
    const n = new sdk.Node("k1", { cluster, manageAddress: "10.0.2.1" });
    new sdk.Device("k1-vdb", { node: n, path: "/dev/vdb" });
    new sdk.Volume("v3", { cluster, size: "1GiB" });
    await settle(4);
    for (const r of registered) {
      expect(r.inputs.credentials).toBeUndefined();
      expect(JSON.stringify(r.inputs)).not.toMatch(/privateKey"|password/);
    }
    expect(named("k1-vdb").inputs.connection).toEqual({
      host: "10.0.2.1",
      user: "root",
      privateKeyPath: keyFile,
    });
    expect(named("v3").inputs.topology).toEqual([
      expect.objectContaining({ connection: { host: "10.0.2.1", user: "root", privateKeyPath: keyFile } }),
    ]);
  });

  test("a whole connection given as an Output: the secrets still travel apart", async () => {
    useMocks();
    const sdk = await import("../../sdk/nodejs");
    const cluster = new sdk.GlusterCluster("c3", {
      connection: pulumi.output({
        user: "root",
        password: PASSWORD,
        proxy: { host: "jump", privateKey: KEY },
      }),
    });
    new sdk.Node("o1", { cluster, manageAddress: "10.0.2.1" });
    await settle(2);
    const o1 = named("o1");
    expect(JSON.stringify(o1.inputs.connection)).not.toContain(PASSWORD);
    expect(JSON.stringify(o1.inputs.connection)).not.toContain(KEY.split("\n")[1]);
    expect(o1.inputs.connection).toEqual({ host: "10.0.2.1", user: "root", proxy: { host: "jump" } });
    expect(isSecret(o1.inputs.credentials)).toBe(true);
    expect(secretValue(o1.inputs.credentials)["10.0.2.1"]).toEqual({
      password: PASSWORD,
      proxy: { privateKey: KEY },
    });
  });
});
