// The native plugin through the real Pulumi CLI, found the way a user's machine finds it: the
// package installed from its packed tarball puts `pulumi-resource-glusterfs` in node_modules/.bin,
// which is on the PATH. Nothing here reaches a node (the lab is not needed): the schema over
// GetSchema, a GlusterCluster applied and previewed with no changes, a Volume whose nodes are
// unknown previewed as a create, and `pulumi import` reaching the plugin's read with the ID.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installPackage, pulumiBin } from "../support/pulumi";

const ROOT = path.resolve(__dirname, "../..");

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const cluster = new pulumi.CustomResource("glusterfs:index:GlusterCluster", "lab", { clusterId: "lab" });
exports.clusterId = cluster.id;
if (new pulumi.Config().getBoolean("withVolume")) {
  // The nodes come from a resource not made yet: unknown in preview, so nothing is dialled.
  const second = new pulumi.CustomResource("glusterfs:index:GlusterCluster", "second", { clusterId: "second" });
  new pulumi.CustomResource("glusterfs:index:Volume", "data", {
    cluster: { clusterId: "second" },
    topology: second.id.apply(() =>
      [1, 2, 3].map((i) => ({
        manageAddress: "10.9.9." + i,
        storageAddress: "gfs-" + i,
        zone: i,
        connection: { user: "root" },
        devices: [{ path: "/dev/vdb" }],
      })),
    ),
    size: "2Gi",
    durability: { type: "replicate", replica: 3 },
  });
}
`;

let dir: string;
let env: NodeJS.ProcessEnv;
let plugin: string;

function run(args: string[], input?: string): { code: number; out: string } {
  const r = spawnSync(path.join(pulumiBin(), "pulumi"), args, {
    cwd: dir,
    env,
    input,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, out: `${r.stdout}\n${r.stderr}` };
}

function ok(args: string[], input?: string): string {
  const r = run(args, input);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (exit ${r.code}):\n${r.out}`);
  return r.out;
}

beforeAll(() => {
  const scratch = installPackage();
  plugin = path.join(scratch, "node_modules/.bin/pulumi-resource-glusterfs");
  dir = path.join(scratch, "native-plugin");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: native-plugin\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
  env = {
    ...process.env,
    PATH: `${path.dirname(plugin)}:${pulumiBin()}:${process.env.PATH}`,
    PULUMI_HOME: path.join(dir, ".pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
  ok(["stack", "init", "dev"]);
  ok(["config", "set", "--secret", "glusterfs:privateKey"], "native-plugin-test-key\n");
});

describe("pulumi-resource-glusterfs through the Pulumi CLI", () => {
  test("the CLI gets the committed schema.json from the plugin", () => {
    const served = JSON.parse(ok(["package", "get-schema", plugin]).trim()) as unknown;
    expect(served).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8")));
  });

  test("a GlusterCluster is created by the plugin, then previews with no changes", () => {
    const up = ok(["up", "--yes", "--non-interactive"]);
    expect(up).toMatch(/using pulumi-resource-glusterfs from \$PATH/);
    expect(up).toMatch(/glusterfs:index:GlusterCluster\s+lab\s+created/);
    ok(["preview", "--expect-no-changes", "--non-interactive"]);
  });

  test("a Volume whose nodes are not known yet previews as a create, its name and owner from the URN", () => {
    ok(["config", "set", "withVolume", "true"]);
    const out = ok(["preview", "--json", "--non-interactive"]);
    const preview = JSON.parse(out.slice(out.indexOf("{"), out.lastIndexOf("}") + 1)) as {
      steps: { op: string; urn: string; newState?: { inputs?: Record<string, unknown> } }[];
    };
    const volume = preview.steps.find((s) => s.urn.endsWith("glusterfs:index:Volume::data"));
    expect(volume?.op).toBe("create");
    expect(volume?.newState?.inputs).toMatchObject({ name: "data", owner: "native-plugin/dev/data" });
    ok(["config", "rm", "withVolume"]);
  });

  test("pulumi import reaches the plugin's read with the ID: a malformed one is refused with the format", () => {
    const r = run(["import", "glusterfs:index:Volume", "data", "not-an-id", "--yes", "--non-interactive"]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('id: invalid value "not-an-id"');
    expect(r.out).toContain("<clusterId>/<volume>@<node>[,<node>...]");
  });
});
