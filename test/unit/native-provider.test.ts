// The native plugin's Provider (provider/native), called as @pulumi/pulumi's provider server
// calls it: raw wire values in (secrets wrapped in their signature object), dispatch by the URN's
// type token to the registry's handlers, secrets wrapped again on the way out, provider config.
// The nodes are the recording fake of test/support/fake-cluster.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  GlusterProvider,
  SECRET_SIG,
  SIG_KEY,
  kindOfUrn,
  ownerOfUrn,
  stackDefaultsOf,
} from "../../provider/native/provider";
import { type Deps, type Inputs, createDeps } from "../../provider/resources";
import { FakeCluster } from "../support/fake-cluster";
import { volumeInputs } from "../support/handler-inputs";

const mockHolder: { cluster?: FakeCluster | undefined } = {};

jest.mock("../../provider/node", () =>
  jest
    .requireActual<typeof import("../support/fake-cluster")>("../support/fake-cluster")
    .nodeWithFakeOperations(() => mockHolder.cluster),
);

const ROOT = path.join(__dirname, "../..");
const GiB = 1024 ** 3;
const hosts = [1, 2, 3].map((i) => ({
  manage: `10.0.0.${i}`,
  storage: `gfs-${i}`,
  devices: { "/dev/vdb": 20 * GiB },
}));
const urn = (type: string, name = "data") => `urn:pulumi:dev::proj::${type}::${name}`;
const VOLUME = urn("glusterfs:index:Volume");
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nnative-test-key\n-----END OPENSSH PRIVATE KEY-----";
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

let deps: Deps;
let provider: GlusterProvider;
let cluster: FakeCluster;

beforeEach(() => {
  cluster = new FakeCluster("lab", hosts);
  mockHolder.cluster = cluster;
  deps = createDeps({ executors: (t) => cluster.executor(t.manageAddress) });
  provider = new GlusterProvider(deps);
});

/** The JSON of a value with every secret-wrapped part removed: what would be in the clear. */
function clearText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG ? "[wrapped]" : v,
  );
}

describe("native provider: schema and dispatch", () => {
  test("getSchema serves the committed schema.json, and the version is the schema's", async () => {
    const committed = fs.readFileSync(path.join(ROOT, "schema.json"), "utf8");
    expect(await provider.getSchema()).toBe(committed);
    expect(provider.version).toBe((JSON.parse(committed) as { version: string }).version);
  });

  test("each type token dispatches to its kind, under a parent type too; others are refused by name", () => {
    expect(kindOfUrn(urn("glusterfs:index:GlusterCluster"))).toBe("cluster");
    expect(kindOfUrn(urn("glusterfs:index:Node"))).toBe("node");
    expect(kindOfUrn(urn("glusterfs:index:Device"))).toBe("device");
    expect(kindOfUrn("urn:pulumi:dev::proj::my:Component$glusterfs:index:Volume::data")).toBe("volume");
    expect(() => kindOfUrn(urn("glusterfs:index:Bucket"))).toThrow(
      /unknown resource type "glusterfs:index:Bucket": this plugin serves glusterfs:index:GlusterCluster, .*glusterfs:index:Volume/,
    );
  });

  test("a Volume's check plans its bricks through the Volume handler; name and owner default to the URN's", async () => {
    const { owner: _o, name: _n, ...news } = volumeInputs();
    const r = await provider.check(urn("glusterfs:index:Volume", "media"), {}, news);
    expect(r.failures).toBeUndefined();
    expect(r.inputs.name).toBe("media");
    expect(r.inputs.owner).toBe("proj/dev/media");
    expect(r.inputs.bricks).toHaveLength(3);
    expect(ownerOfUrn("urn:pulumi:prod::shop::glusterfs:index:Volume::a::b")).toBe("shop/prod/a::b");
  });

  test("a check failure of the handler reaches the engine as a failure naming the field", async () => {
    const r = await provider.check(VOLUME, {}, volumeInputs({ size: "lots" }));
    expect(r.failures).toEqual([{ property: "size", reason: expect.stringMatching(/^size: /) }]);
  });

  test("create, read, diff, update and delete reach the nodes through the Volume handler", async () => {
    const checked = await provider.check(VOLUME, {}, volumeInputs());
    const made = await provider.create(VOLUME, checked.inputs);
    expect(made.id).toBe("data");
    expect(cluster.volumes.get("data")?.status).toBe("Started");

    const read = await provider.read("data", VOLUME, made.outs);
    expect(read.id).toBe("data");
    expect(read.props.volumeId).toBe(cluster.volumes.get("data")!.id);
    expect(await provider.diff("data", VOLUME, made.outs, checked.inputs)).toEqual({ changes: false });

    const grown = await provider.check(VOLUME, checked.inputs, volumeInputs({ size: "4Gi" }));
    expect(grown.failures).toBeUndefined();
    const d = await provider.diff("data", VOLUME, made.outs, grown.inputs);
    expect(d.changes).not.toBe(false);
    const updated = await provider.update("data", VOLUME, made.outs, grown.inputs);
    expect(updated.outs.size).toBe("4Gi");

    await provider.delete("data", VOLUME, updated.outs);
    expect(cluster.volumes.has("data")).toBe(false);
  });
});

describe("native provider: secrets stay secret", () => {
  test("a key sent inline in a secret connection comes back only inside the secret credentials", async () => {
    const news = volumeInputs({
      topology: (volumeInputs().topology as Inputs[]).map((t, i) =>
        i === 0 ? { ...t, connection: { user: "root", privateKey: secret(KEY) } } : t,
      ),
    });
    const checked = await provider.check(VOLUME, {}, news);
    expect(checked.failures).toBeUndefined();
    expect(clearText(checked.inputs)).not.toContain("native-test-key");
    expect(checked.inputs.credentials).toEqual(secret({ "10.0.0.1": { privateKey: KEY } }));

    const made = await provider.create(VOLUME, checked.inputs);
    expect(clearText(made.outs)).not.toContain("native-test-key");
    expect(made.outs.credentials).toEqual(secret({ "10.0.0.1": { privateKey: KEY } }));
    const read = await provider.read("data", VOLUME, made.outs);
    expect(clearText(read)).not.toContain("native-test-key");
    expect(read.inputs.credentials).toEqual(secret({ "10.0.0.1": { privateKey: KEY } }));
  });

  test("any input the program marked secret is secret in the outputs at the same place", async () => {
    const checked = await provider.check(VOLUME, {}, volumeInputs());
    const inputs = { ...checked.inputs, options: { "performance.cache-size": secret("64MB") } };
    const made = await provider.create(VOLUME, inputs);
    expect(made.outs.options).toEqual({ "performance.cache-size": secret("64MB") });
    expect(cluster.volumes.get("data")!.options["performance.cache-size"]).toBe("64MB");
  });
});

describe("native provider: configure", () => {
  test("glusterfs:* config, secrets wrapped or not, becomes the stack's default credentials", () => {
    provider.configure({
      "glusterfs:privateKey": secret(KEY),
      "glusterfs:password": "pw",
      knownHostsFile: "/tmp/known_hosts",
      "other:privateKey": "not ours",
    });
    expect(deps.stack()).toEqual({ privateKey: KEY, password: "pw", knownHostsFile: "/tmp/known_hosts" });
    expect(stackDefaultsOf({ "glusterfs:privateKeyPassword": "" })).toEqual({});
  });
});

describe("native provider: read with only an ID (pulumi import)", () => {
  const ID = "lab/data@10.0.0.1,10.0.0.2,10.0.0.3";

  /** A volume made by another process (a stack whose state was then lost). */
  async function madeElsewhere(over: Record<string, unknown> = {}): Promise<Inputs> {
    const checked = await provider.check(VOLUME, {}, volumeInputs(over));
    expect(checked.failures).toBeUndefined();
    const made = await provider.create(VOLUME, checked.inputs);
    deps = createDeps({ executors: (t) => cluster.executor(t.manageAddress) });
    provider = new GlusterProvider(deps);
    return made.outs as Inputs;
  }

  test("reads the volume's bricks, layout, options and owner back; the same program then has no changes", async () => {
    const made = await madeElsewhere({ options: { "performance.cache-size": "64MB" } });
    const before = cluster.snapshot();
    const imported = await provider.read(ID, VOLUME, {});
    expect(imported.id).toBe("data");
    expect(imported.props.bricks).toEqual(made.bricks);
    expect(imported.inputs).toMatchObject({
      name: "data",
      owner: "proj/dev/data",
      size: "2Gi",
      durability: { type: "replicate", replica: 3 },
      options: { "performance.cache-size": "64MB" },
      cluster: { clusterId: "lab", brickRoot: "/var/lib/glusterfs-bricks" },
    });
    expect(imported.props.volumeId).toBe(cluster.volumes.get("data")!.id);
    expect(cluster.snapshot()).toEqual(before); // reading changed nothing

    // The program that declares the same volume: check keeps the bricks, diff finds nothing to do.
    const checked = await provider.check(
      VOLUME,
      imported.inputs,
      volumeInputs({ options: { "performance.cache-size": "64MB" } }),
    );
    expect(checked.failures).toBeUndefined();
    expect(checked.inputs.bricks).toEqual(made.bricks);
    expect(await provider.diff("data", VOLUME, imported.props, checked.inputs)).toEqual({ changes: false });
  });

  test("a name no node knows reads as gone; a malformed ID is refused with the format", async () => {
    await madeElsewhere();
    expect((await provider.read("lab/other@10.0.0.1", VOLUME, {})).id).toBe("");
    await expect(provider.read("data", VOLUME, {})).rejects.toThrow(
      /<clusterId>\/<volume>@<node>\[,<node>\.\.\.\]/,
    );
  });

  test("a volume without this provider's owner marker is not adopted, and nothing is changed", async () => {
    await madeElsewhere();
    delete cluster.volumes.get("data")!.options["user.glusterfs-provider.owner"];
    const before = cluster.snapshot();
    await expect(provider.read(ID, VOLUME, {})).rejects.toThrow(/carries no owner marker/);
    expect(cluster.snapshot()).toEqual(before);
  });
});
