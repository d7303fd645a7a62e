// The package installs the way Pulumi programs use it: packed, installed by name into a
// folder outside the repo, with the SDK importable and the provider code require-able.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "../..");

describe("npm pack", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "glusterfs-pack-"));
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
      cwd: root,
      encoding: "utf8",
    });
    const [{ filename }] = JSON.parse(out) as [{ filename: string }];
    fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true }));
    // Offline and without dependencies: the entry points must load with the repo's own node_modules
    // on NODE_PATH, proving the tarball carries compiled JavaScript and typings.
    execFileSync(
      "npm",
      [
        "install",
        "--no-save",
        "--ignore-scripts",
        "--no-package-lock",
        "--omit=dev",
        "--no-audit",
        "--no-fund",
        "--install-links",
        "--prefer-offline",
        path.join(scratch, filename),
      ],
      {
        cwd: scratch,
        encoding: "utf8",
        env: { ...process.env, npm_config_legacy_peer_deps: "true" },
      },
    );
  }, 180000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const load = (what: string) =>
    execFileSync(process.execPath, ["-e", what], {
      cwd: scratch,
      encoding: "utf8",
      env: { ...process.env, NODE_PATH: path.join(root, "node_modules") },
    });

  it("ships compiled JavaScript, typings and the schema", () => {
    const installed = path.join(scratch, "node_modules/pulumi-glusterfs");
    expect(fs.existsSync(path.join(installed, "dist/sdk/nodejs/index.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "dist/sdk/nodejs/index.d.ts"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "dist/provider/dynamic/index.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "schema.json"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "dist/provider/cli/main.js"))).toBe(true);
    expect(fs.readdirSync(path.join(installed)).sort()).not.toContain("test");
  });

  it("loads the SDK and the dynamic provider by package name from outside the repo", () => {
    const out = load(
      `const sdk = require("pulumi-glusterfs"); const dyn = require("pulumi-glusterfs/dynamic");` +
        `console.log(require.resolve("pulumi-glusterfs"), typeof sdk, typeof dyn);`,
    );
    expect(out).toContain(path.join(scratch, "node_modules/pulumi-glusterfs/dist/sdk/nodejs/index.js"));
    expect(out).toContain("object object");
  });
});
