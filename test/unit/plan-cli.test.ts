// `pulumi-glusterfs plan` as users script it: run the built command (npm run build first).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const bin = path.join(__dirname, "../../dist/provider/cli/main.js");
const fixture = (name: string) => path.join(__dirname, "../fixtures/topology", name);
const plan = (...args: string[]) => spawnSync(process.execPath, [bin, "plan", ...args], { encoding: "utf8" });

describe("pulumi-glusterfs plan", () => {
  it("prints the plan as JSON and exits 0", () => {
    const r = plan("--topology", fixture("three-zones.json"), "--size", "1TiB");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.cluster).toBe("0");
    expect(out.durability).toEqual({ type: "replicate", replica: 3, arbiter: false });
    expect(out.sets).toHaveLength(1);
    const bricks = out.sets[0].bricks;
    expect(bricks).toHaveLength(3);
    expect(new Set(bricks.map((b: { zone: number }) => b.zone)).size).toBe(3);
    for (const b of bricks) {
      expect(Object.keys(b)).toEqual([
        "node",
        "storage",
        "zone",
        "device",
        "size",
        "poolSize",
        "metadataSize",
        "role",
      ]);
      expect(b.size).toBe(1024 ** 4);
    }
    for (const d of out.devices)
      expect(Object.keys(d)).toEqual(["node", "device", "freeBefore", "freeAfter"]);
  });

  it("gives byte-identical output across runs", () => {
    const args = [
      "--topology",
      fixture("three-zones.json"),
      "--size",
      "3TiB",
      "--zone-checking",
      "prefer",
      "--replica",
      "2",
    ];
    const a = plan(...args);
    const b = plan(...args);
    expect(a.status).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it("takes every flag, in --flag value and --flag=value forms", () => {
    const r = plan(
      `--topology=${fixture("arbiter.json")}`,
      "--size=500GiB",
      "--arbiter",
      "--zone-checking",
      "none",
      "--snapshot-factor",
      "1.5",
      "--average-file-size",
      "1MiB",
      "--tag-match",
      "rack!=b",
      "--min-brick",
      "1GiB",
      "--max-brick",
      "2TiB",
      "--max-bricks",
      "12",
      "--cluster",
      "0",
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const [, , arbiter] = out.sets[0].bricks;
    expect(arbiter.role).toBe("arbiter");
    expect(arbiter.node).toBe("arb-1");
    expect(out.sets[0].bricks[0].poolSize).toBe(750 * 1024 ** 3);
  });

  it("plans disperse and recommends power-of-two layouts", () => {
    const r = plan(
      "--topology",
      fixture("three-zones.json"),
      "--size",
      "100GiB",
      "--disperse",
      "3+1",
      "--zone-checking",
      "prefer",
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.durability).toEqual({ type: "disperse", data: 3, redundancy: 1 });
    expect(out.recommendations[0]).toMatch(/power-of-two/);
  });

  it("picks the first cluster where the volume fits", () => {
    const r = plan("--topology", fixture("two-clusters.json"), "--size", "100GiB");
    expect(JSON.parse(r.stdout).cluster).toBe("large");
  });

  it("exits 2 with a JSON error naming what was missing when there is no room", () => {
    const r = plan("--topology", fixture("three-zones.json"), "--size", "30TiB");
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.error).not.toContain("\n");
    expect(out.error).toMatch(/needs .*TiB but the eligible devices have .*TiB free; zone 1: .* free/);
    expect(out.clusters[0].zones.map((z: { zone: number }) => z.zone)).toEqual([1, 2, 3]);
    expect(out.request.size).toBe(30 * 1024 ** 4);

    const zones = plan("--topology", fixture("three-zones.json"), "--size", "1TiB", "--disperse", "4+2");
    expect(zones.status).toBe(2);
    expect(JSON.parse(zones.stdout).error).toMatch(/strict zone checking needs 6 zones .* it has 3/);
  });

  it.each([
    [["--size", "10XB"], "--size", '"10XB"', "GiB"],
    [["--size", "1TiB", "--disperse", "2+2"], "--disperse", '"2+2"', "2R < D+R"],
    [["--size", "1TiB", "--replica", "4"], "--replica", '"4"', "2 or 3"],
    [["--size", "1TiB", "--replica", "2", "--arbiter"], "--arbiter", "true", "replica 3"],
    [
      ["--size", "1TiB", "--zone-checking", "sometimes"],
      "--zone-checking",
      '"sometimes"',
      "strict, prefer, none",
    ],
    [["--size", "1TiB", "--min-brick", "16MiB"], "--min-brick", '"16MiB"', "300MiB"],
    [["--size", "1TiB", "--tag-match", "bad key=1"], "--tag-match", '"bad key=1"', "KEY=VALUE"],
    [["--size", "1TiB", "--cluster", "nope"], "--cluster", '"nope"', '"0"'],
    [
      ["--size", "1TiB", "--distribute", "--replica", "2"],
      "--replica/--arbiter/--disperse/--distribute",
      "",
      "one durability",
    ],
    [["--size", "1TiB", "--frobnicate"], "argument", '"--frobnicate"', "--topology"],
  ])("exits 1 on %p naming the field, the value and what is allowed", (args, field, value, allowed) => {
    const r = plan("--topology", fixture("three-zones.json"), ...args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${field}: invalid value ${value}`);
    expect(r.stderr).toContain("allowed:");
    expect(r.stderr).toContain(allowed);
  });

  it("exits 1 on a malformed topology, naming the JSON path", () => {
    const r = plan("--topology", fixture("bad-zone.json"), "--size", "1TiB");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /topology\.clusters\[0\]\.nodes\[0\]\.node\.zone: invalid value 0; allowed: an integer zone >= 1/,
    );
    const missing = plan("--size", "1TiB");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("--topology: invalid value (missing)");
    const absent = plan("--topology", "/nonexistent.json", "--size", "1TiB");
    expect(absent.status).toBe(1);
    expect(absent.stderr).toContain('--topology: invalid value "/nonexistent.json"');
  });

  describe("--existing", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("keeps the existing bricks and plans only the rest", () => {
      const first = plan("--topology", fixture("three-zones.json"), "--size", "500GiB");
      expect(first.status).toBe(0);
      const existing = path.join(dir, "first.json");
      fs.writeFileSync(existing, first.stdout);
      const before = JSON.parse(first.stdout);
      const second = plan(
        "--topology",
        fixture("three-zones.json"),
        "--size",
        "1000GiB",
        "--existing",
        existing,
      );
      expect(second.stderr).toBe("");
      expect(second.status).toBe(0);
      const after = JSON.parse(second.stdout);
      expect(after.sets[0]).toEqual(before.sets[0]);
      expect(after.sets).toHaveLength(2);
      expect(after.capacity).toBeGreaterThanOrEqual(1000 * 1024 ** 3);

      const grown = JSON.parse(
        plan(
          "--topology",
          fixture("three-zones.json"),
          "--size",
          "1000GiB",
          "--existing",
          existing,
          "--expand-mode",
          "grow",
        ).stdout,
      );
      expect(grown.sets).toHaveLength(1);
      expect(grown.sets[0].bricks.map((b: { node: string }) => b.node)).toEqual(
        before.sets[0].bricks.map((b: { node: string }) => b.node),
      );
      expect(grown.sets[0].bricks[0].size).toBe(1000 * 1024 ** 3);

      const shrink = plan(
        "--topology",
        fixture("three-zones.json"),
        "--size",
        "100GiB",
        "--existing",
        existing,
      );
      expect(shrink.status).toBe(1);
      expect(shrink.stderr).toMatch(/--size: invalid value .*shrinking is refused/);

      const bad = path.join(dir, "bad.json");
      fs.writeFileSync(
        bad,
        JSON.stringify({
          cluster: "0",
          durability: { type: "replicate" },
          sets: [{ bricks: [{ node: "x" }] }],
        }),
      );
      const invalid = plan("--topology", fixture("three-zones.json"), "--size", "1TiB", "--existing", bad);
      expect(invalid.status).toBe(1);
      expect(invalid.stderr).toContain("--existing");
      expect(invalid.stderr).toContain("plan.sets[0].bricks[0]");
    });
  });

  it("prints its usage on --help", () => {
    const r = plan("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--expand-mode");
  });
});
