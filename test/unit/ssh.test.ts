// Transport against an in-process ssh2 server: host keys (pinned, first use, changed),
// redaction, timeouts, retries, connection reuse and counters, channel bounds, proxy, exit.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { utils } from "ssh2";
import type { RemoteScript } from "../../provider/core/exec";
import {
  FileHostKeyStore,
  HostKeyMismatchError,
  MemoryHostKeyStore,
  REDACTED,
  SshPool,
  TransportError,
  fingerprint,
  redact,
  remoteCommand,
  resolveConnection,
} from "../../provider/ssh";
import { type TestServer, ed25519Pair, startServer } from "../support/ssh-server";

const script = (text: string, readOnly = true, timeoutMs?: number): RemoteScript => ({
  step: "test.step",
  text,
  readOnly,
  commands: 1,
  ...(timeoutMs !== undefined ? { timeoutMs } : {}),
});

let server: TestServer;
let logs: string[];
const pools: SshPool[] = [];
function pool(opts: ConstructorParameters<typeof SshPool>[0] = {}): SshPool {
  const p = new SshPool({
    hostKeys: new MemoryHostKeyStore(),
    dialBackoffMs: 50,
    log: (l) => logs.push(l),
    ...opts,
  });
  pools.push(p);
  return p;
}
const conn = (extra: Record<string, unknown> = {}) => ({
  host: "127.0.0.1",
  port: server.port,
  user: "root",
  privateKey: server.clientKey.private,
  ...extra,
});

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  logs = [];
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.closeAll()));
});

describe("running scripts", () => {
  test("stdout, stderr, exit code (not thrown) and the node's own time", async () => {
    const ex = pool().executor(conn({ hostKey: server.hostKey }));
    const r = await ex.run(script("echo out; echo err >&2; exit 7"));
    expect(r).toMatchObject({ code: 7, stdout: "out\n", stderr: "err\n" });
    expect(r.remoteMs).toBeGreaterThanOrEqual(0);
    expect(r.durationMs).toBeGreaterThanOrEqual(r.remoteMs ?? 0);
  });

  test("the script travels on stdin, not on the command line; commands inside cannot swallow it", async () => {
    const ex = pool().executor(conn({ hostKey: server.hostKey }));
    const r = await ex.run(script("cat >/dev/null; head -c 10 || true\necho still-here\n"));
    expect(r.stdout).toBe("still-here\n");
    expect(server.stats.commands.at(-1)).not.toContain("still-here");
    expect(remoteCommand(60_000, false)).toMatch(/^env LC_ALL=C timeout -k 10 60 bash -c /);
    expect(remoteCommand(60_000, true)).toMatch(/^sudo -n env LC_ALL=C timeout/);
  });

  test("one connection per host, reused; counters per operation", async () => {
    const p = pool();
    const op = p.operation("reuse");
    const ex = op.executor(conn({ hostKey: server.hostKey }));
    const before = server.stats.connections;
    for (let i = 0; i < 3; i++) await ex.run(script(`echo ${i}`));
    await Promise.all(
      [1, 2, 3, 4].map((i) => op.executor(conn({ hostKey: server.hostKey })).run(script(`echo ${i}`))),
    );
    const c = op.end();
    expect(server.stats.connections - before).toBe(1);
    expect(c).toMatchObject({ connections: 1, roundTrips: 7, commands: 7, retries: 0 });
    expect(c.bytesSent).toBeGreaterThan(0);
    expect(c.bytesReceived).toBeGreaterThan(0);
    expect(p.totals.roundTrips).toBe(7);
    expect(logs.some((l) => l.startsWith("op reuse:") && l.includes("connections 1, round trips 7"))).toBe(
      true,
    );
  });

  test("concurrent channels per host are bounded", async () => {
    const p = pool({ maxChannelsPerHost: 2 });
    server.stats.maxConcurrent = 0;
    const ex = p.executor(conn({ hostKey: server.hostKey }));
    await Promise.all([1, 2, 3, 4, 5].map(() => ex.run(script("sleep 0.3"))));
    expect(server.stats.maxConcurrent).toBe(2);
  });

  test("a step that outlives its timeout is stopped and reported", async () => {
    const ex = pool().executor(conn({ hostKey: server.hostKey }));
    const t0 = Date.now();
    const err = await ex.run(script("sleep 30", false, 1000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ kind: "timeout", mayHaveRun: true, step: "test.step" });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test("password auth; the password never appears in output, errors or logs", async () => {
    const p = pool();
    const ex = p.executor({
      host: "127.0.0.1",
      port: server.port,
      user: "root",
      password: server.password,
      hostKey: server.hostKey,
    });
    const r = await ex.run(script(`echo "pw is ${server.password}" >&2; exit 1`));
    expect(r.stderr).toBe(`pw is ${REDACTED}\n`);
    const bad = p.executor({
      host: "127.0.0.1",
      port: server.port,
      user: "root",
      password: "wrong-Passw0rd!",
      hostKey: server.hostKey,
    });
    const err = (await bad.run(script("true")).catch((e: unknown) => e)) as TransportError;
    expect(err).toMatchObject({ kind: "auth" });
    expect(err.message).not.toContain("wrong-Passw0rd!");
    expect(logs.join("\n")).not.toContain(server.password);
  });

  test("agent authentication through agentSocketPath", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-"));
    const sock = path.join(dir, "agent.sock");
    const keyFile = path.join(dir, "id");
    fs.writeFileSync(keyFile, server.clientKey.private, { mode: 0o600 });
    const agent = spawnSync("ssh-agent", ["-a", sock, "-s"], { encoding: "utf8" });
    const pid = /SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1];
    try {
      expect(
        spawnSync("ssh-add", [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, encoding: "utf8" })
          .status,
      ).toBe(0);
      const ex = pool().executor({
        host: "127.0.0.1",
        port: server.port,
        user: "root",
        agentSocketPath: sock,
        hostKey: server.hostKey,
      });
      await expect(ex.run(script("echo via-agent"))).resolves.toMatchObject({
        code: 0,
        stdout: "via-agent\n",
      });
    } finally {
      if (pid) process.kill(Number(pid));
    }
  });

  test("a wrong key fails authentication without leaking the key", async () => {
    const other = ed25519Pair().private;
    const ex = pool().executor(conn({ privateKey: other, hostKey: server.hostKey, dialErrorLimit: 3 }));
    const err = (await ex.run(script("true")).catch((e: unknown) => e)) as TransportError;
    expect(err.kind).toBe("auth");
    expect(err.message).not.toContain(other.split("\n")[1]);
    expect(redact(`key: ${other}`, [])).toBe(`key: ${REDACTED}\n`);
  });
});

describe("host keys", () => {
  test("a pinned key that matches connects", async () => {
    await expect(
      pool()
        .executor(conn({ hostKey: `${server.hostKey} comment` }))
        .run(script("true")),
    ).resolves.toMatchObject({ code: 0 });
  });

  test("a pinned key that differs stops before authenticating", async () => {
    const other = utils.parseKey(ed25519Pair().public);
    if (other instanceof Error) throw other;
    const pinned = `ssh-ed25519 ${other.getPublicSSH().toString("base64")}`;
    const auths = server.stats.authAttempts;
    const execs = server.stats.execs;
    const err = await pool()
      .executor(conn({ hostKey: pinned }))
      .run(script("touch /tmp/should-not-run"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect((err as Error).message).toContain(fingerprint(pinned));
    expect((err as Error).message).toContain(fingerprint(server.hostKey));
    expect(server.stats.authAttempts).toBe(auths);
    expect(server.stats.execs).toBe(execs);
  });

  test("unpinned: recorded on first use in a known_hosts file, enforced afterwards", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kh-")), "sub", "known_hosts");
    const store = new FileHostKeyStore(file);
    await pool({ hostKeys: store }).executor(conn()).run(script("true"));
    expect(fs.readFileSync(file, "utf8")).toBe(`[127.0.0.1]:${server.port} ${server.hostKey}\n`);
    // Same store, second process-like pool: still fine.
    await pool({ hostKeys: new FileHostKeyStore(file) })
      .executor(conn())
      .run(script("true"));
    // Another server (new host key) on a port the store knows: refused.
    const impostor = await startServer();
    try {
      fs.appendFileSync(file, `[127.0.0.1]:${impostor.port} ${server.hostKey}\n`);
      const err = await pool({ hostKeys: new FileHostKeyStore(file) })
        .executor({ ...conn(), port: impostor.port, privateKey: impostor.clientKey.private })
        .run(script("true"))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostKeyMismatchError);
      expect((err as Error).message).toContain(file);
      expect(impostor.stats.execs).toBe(0);
    } finally {
      await impostor.close();
    }
  });
});

describe("failures and retries", () => {
  test("dialling is retried up to dialErrorLimit, then fails clearly", async () => {
    const closed = await startServer();
    const port = closed.port;
    await closed.close();
    const err = (await pool()
      .executor({
        host: "127.0.0.1",
        port,
        user: "root",
        password: "x-secret-x",
        dialErrorLimit: 2,
        perDialTimeout: 2,
      })
      .run(script("true"))
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toMatchObject({ kind: "dial" });
    expect(err.message).toMatch(/after 2 attempt/);
    expect(logs.filter((l) => l.includes("attempt"))).toHaveLength(2);
  });

  test("a read-only step is retried on a fresh connection after the connection dropped", async () => {
    const op = pool().operation("retry");
    const ex = op.executor(conn({ hostKey: server.hostKey }));
    await ex.run(script("true"));
    server.dropNextExec = true;
    const r = await ex.run(script("echo again"));
    expect(r.stdout).toBe("again\n");
    expect(op.end()).toMatchObject({ connections: 2, retries: 1 });
  });

  test("a changing step is not retried once it may have run", async () => {
    const ex = pool().executor(conn({ hostKey: server.hostKey }));
    await ex.run(script("true"));
    server.dropNextExec = true;
    const err = await ex.run(script("echo change", false)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "lost", mayHaveRun: true });
    expect((err as Error).message).toMatch(/converges when run again/);
  });
});

describe("proxy (jump host)", () => {
  test("reaches the node through the bastion's forwardOut; both connections pooled", async () => {
    const target = await startServer();
    try {
      const op = pool().operation("proxy");
      const c = {
        host: "127.0.0.1",
        port: target.port,
        user: "root",
        privateKey: target.clientKey.private,
        hostKey: target.hostKey,
        proxy: conn({ hostKey: server.hostKey }),
      };
      const r = await op.executor(c).run(script("echo via-proxy"));
      await op.executor(c).run(script("true"));
      expect(r.stdout).toBe("via-proxy\n");
      expect(op.end().connections).toBe(2);
      expect(target.stats.connections).toBe(1);
    } finally {
      await target.close();
    }
  });
});

describe("process lifetime", () => {
  test("an idle pooled connection does not keep the process alive; closeAll does not end it early", async () => {
    const child = `
      const { SshPool, MemoryHostKeyStore } = require(${JSON.stringify(path.resolve(__dirname, "../../provider/ssh"))});
      const pool = new SshPool({ hostKeys: new MemoryHostKeyStore() });
      const ex = pool.executor(${JSON.stringify(conn({ hostKey: server.hostKey }))});
      (async () => {
        await ex.run({ step: "x", text: "true", readOnly: true });
        await pool.closeAll(); // closing must not let the process exit under a pending await
        const r = await ex.run({ step: "x", text: "echo child-ok", readOnly: true });
        console.log(r.stdout.trim());
      })();
    `;
    // The server lives in this process, so the child must run while this one keeps serving.
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", child], {
        stdio: "pipe",
      });
      let out = "";
      let err = "";
      p.stdout.on("data", (d: Buffer) => (out += d.toString()));
      p.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const t = setTimeout(() => p.kill("SIGKILL"), 60_000);
      p.on("close", (code) => {
        clearTimeout(t);
        resolve({ code, out, err });
      });
    });
    expect(r).toEqual({ code: 0, out: "child-ok\n", err: "" });
  }, 60_000); // the child compiles the transport with ts-node first: seconds on a loaded machine
});

describe("connection fields", () => {
  test("pulumi-command names and defaults", () => {
    const r = resolveConnection({ host: "h" }, {});
    expect(r).toMatchObject({
      port: 22,
      user: "root",
      dialErrorLimit: 10,
      perDialTimeoutMs: 15_000,
      sudo: false,
    });
    expect(resolveConnection({ host: "h", dialErrorLimit: -1, perDialTimeout: 0 }, {})).toMatchObject({
      dialErrorLimit: Infinity,
      perDialTimeoutMs: 0,
    });
    expect(resolveConnection({ host: "h" }, { SSH_AUTH_SOCK: "/tmp/agent" }).agentSocketPath).toBe(
      "/tmp/agent",
    );
    expect(() => resolveConnection({ host: "" })).toThrow(/host/);
  });
});
