import { spawnSync } from "node:child_process";
import * as path from "node:path";

const bin = path.join(__dirname, "../../dist/provider/cli/main.js");
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("pulumi-glusterfs command", () => {
  it("prints usage and exits non-zero on an unknown verb", () => {
    const result = run("frobnicate");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).toContain("usage: pulumi-glusterfs");
  });

  it("prints usage and exits 0 on help", () => {
    const result = run("help");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("plan");
  });
});
