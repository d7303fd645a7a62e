// `pulumi-glusterfs status` (issue 12): its flags become the provider's SSH connections, and the
// report assembled from a node's recorded script prints as tables.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { renderStatus, runStatus } from "../../provider/cli/status";
import * as n from "../../provider/node";
import { type StatusTarget, assembleStatus } from "../../provider/resources/status";

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(args: string[], deps: Parameters<typeof runStatus>[3] = {}) {
  const out = new Sink();
  const err = new Sink();
  const seen: { targets?: StatusTarget[]; opts?: { knownHostsFile?: string } } = {};
  const code = await runStatus(args, out, err, {
    env: {},
    read: async (targets, opts) => {
      seen.targets = targets;
      seen.opts = opts;
      return {
        nodes: targets.map((x) => ({ node: x.name, reachable: true, glusterd: "active", problems: [] })),
        peers: [],
        devices: [],
        volumes: [],
        unusedBricks: [],
        problems: [],
      };
    },
    ...deps,
  });
  return { code, out: out.text, err: err.text, ...seen };
}

describe("flags", () => {
  const key = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "status-cli-")), "id_ed25519");
  fs.writeFileSync(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nflag\n-----END OPENSSH PRIVATE KEY-----\n");

  test("each --node becomes a connection: user, port and key from flags; host keys where asked", async () => {
    const r = await run([
      "--node",
      "gfs-1",
      "--node=admin@10.0.0.2:2222",
      "--node",
      "[fd00::3]",
      "--user",
      "ops",
      "--port",
      "22022",
      "-i",
      key,
      "--known-hosts",
      "/tmp/kh",
      "--sudo",
    ]);
    expect(r.err).toBe("");
    expect(r.targets!.map((t) => [t.name, t.connection.host, t.connection.port, t.connection.user])).toEqual([
      ["gfs-1", "gfs-1", 22022, "ops"],
      ["admin@10.0.0.2:2222", "10.0.0.2", 2222, "admin"],
      ["[fd00::3]", "fd00::3", 22022, "ops"],
    ]);
    for (const t of r.targets!) {
      expect(t.connection.privateKey).toContain("flag");
      expect(t.connection.sudo).toBe(true);
    }
    expect(r.opts).toEqual({ knownHostsFile: "/tmp/kh" });
  });

  test("the key: flag, else environment, else stack config (which also names the known_hosts file)", async () => {
    const stack = () => ({ privateKey: "STACK KEY", knownHostsFile: "/stack/kh", privateKeyPassword: "pp" });
    const env = { PULUMI_GLUSTERFS_PRIVATE_KEY_FILE: key };
    const fromStack = await run(["--node", "a", "--stack", "dev"], { stackConfig: stack });
    expect(fromStack.targets![0]!.connection).toMatchObject({
      privateKey: "STACK KEY",
      privateKeyPassword: "pp",
    });
    expect(fromStack.opts).toEqual({ knownHostsFile: "/stack/kh" });
    const fromEnv = await run(["--node", "a", "--stack", "dev"], { stackConfig: stack, env });
    expect(fromEnv.targets![0]!.connection.privateKey).toContain("flag");
    const none = await run(["--node", "a"]);
    expect(none.targets![0]!.connection).not.toHaveProperty("privateKey");
    expect(none.opts).toEqual({});
  });

  test("bad input names the flag, the value and what is allowed; nothing is read", async () => {
    const cases: [string[], RegExp][] = [
      [[], /--node: .*at least one --node HOST/],
      [["--node", "a b"], /--node: invalid value "a b".*\[USER@\]HOST\[:PORT\]/],
      [["--node", "a:70000"], /--node: invalid value "70000".*a port from 1 to 65535/],
      [["--node", "a", "--node", "a:22"], /--node: invalid value "a:22".*each node once/],
      [
        ["--node", "a", "-i", "/nonexistent/key"],
        /--identity: invalid value "\/nonexistent\/key".*readable private key file/,
      ],
      [["--node", "a", "--frob"], /argument: invalid value "--frob"/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 1 });
      expect(r.err).toMatch(message);
      expect(r.targets).toBeUndefined();
    }
  });

  test("--help prints the usage", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: pulumi-glusterfs status --node HOST/);
  });
});

describe("one node read, the others unreachable (the inventory recorded for the provider's tests)", () => {
  const inv = n.parseInventory(
    "gfs-1",
    fs.readFileSync(path.resolve(__dirname, "../fixtures/node/inventory-gluster-1.txt"), "utf8"),
  );
  const report = assembleStatus([
    { name: "gfs-1", inventory: inv },
    { name: "gfs-2", error: "connect ECONNREFUSED 10.0.0.2:22" },
  ]);

  test("what that node holds is located; the rest is unknown, and said so", () => {
    expect(report.nodes).toEqual([
      {
        node: "gfs-1",
        hostname: "gluster-1",
        reachable: true,
        glusterd: "active",
        uuid: "4916a697-c1d4-4945-8ca6-954c800a3f67",
        problems: [],
      },
      { node: "gfs-2", reachable: false, problems: ["connect ECONNREFUSED 10.0.0.2:22"] },
    ]);
    expect(report.problems).toEqual(["gfs-2: connect ECONNREFUSED 10.0.0.2:22"]);
    const smoke = report.volumes[0]!;
    expect([smoke.name, smoke.layout, smoke.health.state, smoke.health.bricksTotal]).toEqual([
      "smoke",
      "2 x 3",
      "unknown",
      6,
    ]);
    expect(smoke.bricks.map((b) => [b.set, b.node ?? "-", b.lv ?? "-", b.online])).toEqual([
      [0, "gluster-1", "brick_smoke_s0b0", undefined],
      [0, "-", "-", undefined],
      [0, "-", "-", undefined],
      [1, "gluster-1", "brick_smoke_s1b0", undefined],
      [1, "-", "-", undefined],
      [1, "-", "-", undefined],
    ]);
    expect(report.unusedBricks).toEqual([]);
    const text = renderStatus(report);
    expect(text).toMatch(/^gfs-2 +- +unreachable +-$/m);
    expect(text).toMatch(/^PROBLEMS\n- gfs-2: connect ECONNREFUSED 10.0.0.2:22$/m);
    expect(text).toMatch(/^1 +gluster-3:\S+ +- +- +- +- +- +\? +- +-$/m);
  });

  test("--json prints the same report for scripts; exit 2 while it is partial", async () => {
    const r = await run(["--node", "gfs-1", "--node", "gfs-2", "--json"], { read: async () => report });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
