// An in-process SSH server on 127.0.0.1 (port 0) for transport tests: public key and password
// auth, exec through local bash (so the real remote wrapper runs), direct-tcpip for proxy tests.
import { spawn } from "node:child_process";
import * as net from "node:net";
import { Server, type ServerChannel, utils } from "ssh2";

export interface TestServer {
  port: number;
  hostKey: string;
  /** Client key pair accepted for user "root". */
  clientKey: { private: string; public: string };
  password: string;
  stats: {
    connections: number;
    authAttempts: number;
    execs: number;
    maxConcurrent: number;
    commands: string[];
  };
  /** When set, the next exec request destroys the whole connection instead of running. */
  dropNextExec: boolean;
  close(): Promise<void>;
}

/**
 * An ed25519 key pair that ssh2 can parse back. ssh2's parser rejects a small share of the
 * keys its own generator makes ("Malformed OpenSSH public key"), which made tests flaky.
 */
export function ed25519Pair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = utils.generateKeyPairSync("ed25519");
    try {
      if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error))
        return pair;
    } catch {
      // try another key
    }
  }
  throw new Error("could not generate an ed25519 key pair that ssh2 parses");
}

export async function startServer(
  opts: { hostKeyPrivate?: string; password?: string } = {},
): Promise<TestServer> {
  const host = opts.hostKeyPrivate ?? ed25519Pair().private;
  const parsedHost = utils.parseKey(host);
  if (parsedHost instanceof Error) throw parsedHost;
  const hostKey = `${parsedHost.type} ${parsedHost.getPublicSSH().toString("base64")}`;
  const clientKey = ed25519Pair();
  const allowed = utils.parseKey(clientKey.public);
  if (allowed instanceof Error) throw allowed;
  const password = opts.password ?? "s3cret-Passw0rd";
  const clients = new Set<{ end(): unknown }>();
  let active = 0;
  const state: TestServer = {
    port: 0,
    hostKey,
    clientKey,
    password,
    stats: { connections: 0, authAttempts: 0, execs: 0, maxConcurrent: 0, commands: [] },
    dropNextExec: false,
    close: async () => undefined,
  };

  const server = new Server({ hostKeys: [host] }, (client) => {
    state.stats.connections++;
    clients.add(client);
    client.on("close", () => clients.delete(client));
    client.on("error", () => undefined);
    client.on("authentication", (ctx) => {
      state.stats.authAttempts++;
      if (ctx.username !== "root") return ctx.reject();
      if (ctx.method === "password" && ctx.password === password) return ctx.accept();
      if (
        ctx.method === "publickey" &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.equals(allowed.getPublicSSH())
      ) {
        if (!ctx.signature) return ctx.accept();
        if (ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      }
      ctx.reject(["publickey", "password"]);
    });
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("exec", (accept, _reject, info) => {
          if (state.dropNextExec) {
            state.dropNextExec = false;
            accept();
            client.end();
            return;
          }
          const stream: ServerChannel = accept();
          state.stats.execs++;
          state.stats.commands.push(info.command);
          active++;
          state.stats.maxConcurrent = Math.max(state.stats.maxConcurrent, active);
          const child = spawn("bash", ["-c", info.command], { stdio: ["pipe", "pipe", "pipe"] });
          stream.pipe(child.stdin).on("error", () => undefined);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          child.on("close", (code) => {
            active--;
            stream.exit(code ?? 255);
            stream.end();
          });
          stream.on("close", () => child.kill("SIGKILL"));
        });
      });
      client.on("tcpip", (accept, reject, info) => {
        const sock = net.connect(info.destPort, info.destIP, () => {
          const ch = accept();
          ch.pipe(sock).pipe(ch);
        });
        sock.on("error", () => reject());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      clients.forEach((c) => c.end());
      server.close(() => resolve());
    });
  return state;
}
