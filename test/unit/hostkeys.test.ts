// Host keys: first use recorded once per host under a lock (concurrent dials in one process
// and in several), later dials checked against that line; a malformed pinned key refused in
// preview and never retried as a dial error; `glusterfs:knownHostsFile` honoured.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { RemoteScript } from "../../provider/core/exec";
import { createDeps, handlersFor } from "../../provider/resources";
import { FileHostKeyStore, HostKeyMismatchError, SshPool, TransportError, redact } from "../../provider/ssh";
import { type TestServer, ed25519Pair, startServer } from "../support/ssh-server";

const ROOT = path.resolve(__dirname, "../..");
const script: RemoteScript = { step: "test.step", text: "true\n", readOnly: true, commands: 1 };
const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kh-")), "known_hosts");
const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean);

let a: TestServer;
let b: TestServer;
let forwarder: net.Server;
let port: number;
const pools: SshPool[] = [];

beforeAll(async () => {
  // Two servers with different host keys, the same password; one address that sends the
  // first connection to one, the second to the other, and so on: two servers claiming one host.
  a = await startServer({ password: "same-Passw0rd" });
  b = await startServer({ password: "same-Passw0rd" });
  let n = 0;
  forwarder = net.createServer((sock) => {
    const target = n++ % 2 === 0 ? a : b;
    const up = net.connect(target.port, "127.0.0.1");
    sock.pipe(up).pipe(sock);
    sock.on("error", () => up.destroy());
    up.on("error", () => sock.destroy());
  });
  await new Promise<void>((r) => forwarder.listen(0, "127.0.0.1", () => r()));
  port = (forwarder.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(pools.splice(0).map((p) => p.closeAll()));
  await new Promise((r) => forwarder.close(r));
  await a.close();
  await b.close();
});

const conn = { host: "127.0.0.1", port: 0, user: "root", password: "same-Passw0rd", dialErrorLimit: 1 };

describe("first use", () => {
  test("4 concurrent first dials (4 pools, as 4 stacks would) record one line, and the others are checked against it", async () => {
    const file = tmpFile();
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map(() => {
        const pool = new SshPool({ hostKeys: new FileHostKeyStore(file), dialBackoffMs: 10 });
        pools.push(pool);
        return pool.executor({ ...conn, port }).run(script);
      }),
    );
    expect(lines(file)).toHaveLength(1);
    const recorded = lines(file)[0]!.split(" ").slice(1).join(" ");
    expect([a.hostKey, b.hostKey]).toContain(recorded);
    // Two dials reached the server whose key was recorded; the two that reached the other were stopped.
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((x) => x.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(HostKeyMismatchError);
  });

  test("4 concurrent first dials from 4 processes record one line", async () => {
    const file = tmpFile();
    // Each child loads the transport, says "ready", and dials when the parent says go: all four at once.
    const child = `
      const { SshPool, FileHostKeyStore } = require(${JSON.stringify(path.join(ROOT, "dist/provider/ssh"))});
      const pool = new SshPool({ hostKeys: new FileHostKeyStore(process.argv[1]) });
      process.stdin.once("data", () =>
        pool.executor(JSON.parse(process.argv[2])).run({ step: "t", text: "true\\n", readOnly: true })
          .then(() => { process.stdout.write("ok"); return pool.closeAll(); },
                (e) => { process.stdout.write(e.name); return pool.closeAll(); })
          .then(() => process.exit(0)));
      process.stdout.write("ready;");`;
    const children = [0, 1, 2, 3].map(() => {
      const p = spawn(process.execPath, ["-e", child, file, JSON.stringify({ ...conn, port })]);
      let out = "";
      const ready = new Promise<void>((resolve) =>
        p.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.startsWith("ready;")) resolve();
        }),
      );
      const done = new Promise<string>((resolve) => p.on("close", () => resolve(out.replace("ready;", ""))));
      return { p, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    children.forEach((c) => c.p.stdin.write("go\n"));
    const outcomes = await Promise.all(children.map((c) => c.done));
    expect(lines(file)).toHaveLength(1);
    expect(outcomes.sort()).toEqual(["HostKeyMismatchError", "HostKeyMismatchError", "ok", "ok"]);
  });

  test("the store records once for many concurrent callers with different keys", async () => {
    const file = tmpFile();
    const keys = [0, 1, 2, 3, 4, 5].map(() => {
      const pub = ed25519Pair().public.split(" ");
      return `${pub[0]} ${pub[1]}`;
    });
    const results = await Promise.all(
      keys.map((k) => new FileHostKeyStore(file).recordFirstUse("node-1", k)),
    );
    expect(lines(file)).toHaveLength(1);
    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    const winner = results.find((r) => r.recorded)!.keys;
    for (const r of results) expect(r.keys).toEqual(winner);
  });

  test("hashed known_hosts entries (OpenSSH's HashKnownHosts) are read", async () => {
    const file = tmpFile();
    const { createHmac } = await import("node:crypto");
    const salt = Buffer.from("0123456789abcdef0123");
    const hash = createHmac("sha1", salt).update("node-7").digest("base64");
    fs.writeFileSync(file, `|1|${salt.toString("base64")}|${hash} ${a.hostKey}\n`);
    expect(await new FileHostKeyStore(file).lookup("node-7")).toEqual([a.hostKey]);
    expect(await new FileHostKeyStore(file).lookup("node-8")).toEqual([]);
  });
});

describe("a malformed pinned hostKey", () => {
  test.each([
    ["not base64", "ssh-ed25519 AAAA-not-base64!"],
    ["truncated", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsa"],
    ["no type", "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"],
    ["wrong type", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"],
  ])("is refused in check (%s), naming the field, the value and the form", async (_what, hostKey) => {
    for (const connection of [{ hostKey }, { proxy: { host: "jump", hostKey } }]) {
      const r = await handlersFor(createDeps()).node.check(
        {},
        { clusterId: "c", manageAddress: "n1", storageAddress: "n1", connection, members: [] },
      );
      const field = "proxy" in connection ? "connection.proxy.hostKey" : "connection.hostKey";
      expect(r.failures).toHaveLength(1);
      expect(r.failures![0]!.property).toBe(field);
      expect(r.failures![0]!.reason).toContain(field);
      expect(r.failures![0]!.reason).toContain(JSON.stringify(hostKey));
      expect(r.failures![0]!.reason).toContain("ssh-ed25519 AAAA");
    }
  });

  test("fails the dial at once as a configuration error, without connecting or retrying", async () => {
    const pool = new SshPool({ hostKeys: new FileHostKeyStore(tmpFile()), dialBackoffMs: 1000 });
    pools.push(pool);
    const before = a.stats.connections + b.stats.connections;
    const started = Date.now();
    const err = await pool
      .executor({ ...conn, port, dialErrorLimit: 10, hostKey: "ssh-ed25519 AAAA-not-base64!" })
      .run(script)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe("config");
    expect((err as Error).message).toContain("hostKey");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a.stats.connections + b.stats.connections).toBe(before);
  });
});

describe("glusterfs:knownHostsFile", () => {
  test("is where the handlers' pool records and checks host keys", async () => {
    const file = tmpFile();
    const deps = createDeps({ stack: { knownHostsFile: file } });
    const executorFor = deps.executorFor;
    await executorFor({
      manageAddress: "127.0.0.1",
      connection: { host: "127.0.0.1", port: a.port, password: "same-Passw0rd" },
    }).run(script);
    expect(lines(file)).toEqual([`[127.0.0.1]:${a.port} ${a.hostKey}`]);
    // Another server now answers for that address and port: refused against the configured file.
    fs.writeFileSync(file, `[127.0.0.1]:${b.port} ${a.hostKey}\n`);
    const err = await executorFor({
      manageAddress: "127.0.0.1",
      connection: { host: "127.0.0.1", port: b.port, password: "same-Passw0rd" },
    })
      .run(script)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect((err as Error).message).toContain(file);
  });
});

describe("redaction", () => {
  test("finds a secret also where JSON escaped it", () => {
    const secret = 'pa"ss\\word';
    expect(redact(`got ${JSON.stringify({ password: secret })} and ${secret}`, [secret])).toBe(
      'got {"password":"[redacted]"} and [redacted]',
    );
  });

  test("a failed login names neither the password nor the key, in the error or the debug log", async () => {
    const log: string[] = [];
    const pool = new SshPool({
      hostKeys: new FileHostKeyStore(tmpFile()),
      dialBackoffMs: 10,
      log: (l) => log.push(l),
    });
    pools.push(pool);
    const wrong = "wrong-Secret-Passw0rd";
    const key = ed25519Pair().private;
    for (const c of [
      { ...conn, port: a.port, password: wrong, dialErrorLimit: 2 },
      { ...conn, port: a.port, password: undefined, privateKey: key, privateKeyPassword: wrong },
      { ...conn, port: a.port, privateKey: `${key}garbage`, dialErrorLimit: 2 },
    ]) {
      const err = (await pool
        .executor(c)
        .run(script)
        .catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(TransportError);
      for (const text of [err.message, err.stack ?? "", ...log]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(key.split("\n")[1]!);
      }
    }
  });
});
