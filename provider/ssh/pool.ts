// One SSH connection per user@host:port (per proxy chain) per process, shared by every
// operation; bounded concurrent channels per connection; scripts piped to `bash -s`.
import * as net from "node:net";
import { Client, type ClientChannel, type ConnectConfig } from "ssh2";
import { addCounters, emptyCounters, type ExecCounters, type RemoteExecutor } from "../core/exec";
import {
  type ResolvedConnection,
  type SshConnection,
  connectionKey,
  knownHostsId,
  resolveConnection,
  secretsOf,
} from "./connection";
import { HostKeyMismatchError, TransportError } from "./errors";
import {
  FileHostKeyStore,
  type HostKeyStore,
  algorithmsFor,
  fingerprint,
  keyString,
  normaliseKey,
} from "./hostkeys";
import { redact } from "./redact";
import { PooledConnection } from "./pooled";
import { SshExecutor } from "./executor";

export { PooledConnection };

export interface PoolOptions {
  /** Where unpinned host keys are recorded on first use; default ~/.cache/pulumi-glusterfs/known_hosts. */
  hostKeys?: HostKeyStore;
  /** Concurrent channels per connection (OpenSSH allows 10 sessions by default); default 4. */
  maxChannelsPerHost?: number;
  /** Step timeout when neither the script nor the caller gives one; default 10 minutes. */
  defaultTimeoutMs?: number;
  /** Extra attempts for read-only steps whose connection was lost; default 2. */
  readRetries?: number;
  /** Pause between dial attempts; default 1000 ms (doubling up to 8 s). */
  dialBackoffMs?: number;
  /** Debug lines (never secrets). Default: stderr when DEBUG names pulumi-glusterfs. */
  log?: (line: string) => void;
}

export function debugLogger(env: NodeJS.ProcessEnv = process.env): ((line: string) => void) | undefined {
  const d = env.DEBUG ?? "";
  return /(^|,)\s*(\*|pulumi-glusterfs[^,]*|glusterfs[^,]*)\s*(,|$)/.test(d)
    ? (line: string) => process.stderr.write(`[pulumi-glusterfs] ${line}\n`)
    : undefined;
}

/** One named unit of work (a resource create, a refresh, a benchmark phase) and its counters. */
export class Operation {
  readonly counters: ExecCounters = emptyCounters();
  readonly startedAt = Date.now();
  constructor(
    readonly name: string,
    private readonly pool: SshPool,
  ) {}

  executor(conn: SshConnection): RemoteExecutor {
    return this.pool.executor(conn, this);
  }

  /** Ends the operation, logs its figures in debug output and returns them. */
  end(): ExecCounters & { wallMs: number } {
    const wallMs = Date.now() - this.startedAt;
    this.pool.debug(
      `op ${this.name}: ${wallMs} ms, connections ${this.counters.connections}, round trips ${this.counters.roundTrips}, ` +
        `commands ${this.counters.commands}, bytes ${this.counters.bytesSent}/${this.counters.bytesReceived}, retries ${this.counters.retries}`,
    );
    return { ...this.counters, wallMs };
  }
}

/** The pinned key in "type base64" form; a malformed one is a configuration error, never retried. */
function pinnedKey(conn: ResolvedConnection, name: string): string | undefined {
  if (!conn.hostKey) return undefined;
  try {
    return normaliseKey(conn.hostKey);
  } catch (e) {
    throw new TransportError({
      kind: "config",
      host: name,
      message: `hostKey ${JSON.stringify(conn.hostKey)} is not usable: ${(e as Error).message}`,
      hint: "pin the key as `ssh-keyscan -t ed25519 <host>` prints it (without the host name), or leave hostKey out to record it on first use",
    });
  }
}

export class SshPool {
  private readonly conns = new Map<string, Promise<PooledConnection>>();
  private readonly live = new Set<PooledConnection>();
  readonly totals: ExecCounters = emptyCounters();
  readonly hostKeys: HostKeyStore;
  readonly maxChannels: number;
  readonly defaultTimeoutMs: number;
  readonly readRetries: number;
  private readonly dialBackoffMs: number;
  private readonly logFn: ((line: string) => void) | undefined;

  constructor(opts: PoolOptions = {}) {
    this.hostKeys = opts.hostKeys ?? new FileHostKeyStore();
    this.maxChannels = opts.maxChannelsPerHost ?? 4;
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? 600_000;
    this.readRetries = opts.readRetries ?? 2;
    this.dialBackoffMs = opts.dialBackoffMs ?? 1000;
    this.logFn = opts.log ?? debugLogger();
  }

  debug(line: string): void {
    this.logFn?.(line);
  }

  operation(name: string): Operation {
    return new Operation(name, this);
  }

  executor(conn: SshConnection, op?: Operation): RemoteExecutor {
    return new SshExecutor(this, resolveConnection(conn), op);
  }

  /** Adds figures to the pool's totals and to the operation's. */
  count(op: Operation | undefined, c: Partial<ExecCounters>): void {
    addCounters(this.totals, c);
    if (op) addCounters(op.counters, c);
  }

  /** The shared connection for this user@host:port, dialled on first use (with retries). */
  connect(conn: ResolvedConnection, op?: Operation): Promise<PooledConnection> {
    const key = connectionKey(conn);
    const existing = this.conns.get(key);
    if (existing) return existing;
    const p = this.dialWithRetry(key, conn, op);
    this.conns.set(key, p);
    p.then(
      (c) => {
        if (c.closed && this.conns.get(key) === p) this.conns.delete(key);
      },
      () => {
        if (this.conns.get(key) === p) this.conns.delete(key);
      },
    );
    return p;
  }

  /** Forgets a connection that broke, so the next step dials afresh. */
  drop(c: PooledConnection): void {
    c.closed = true;
    this.live.delete(c);
    const p = this.conns.get(c.key);
    if (p)
      p.then(
        (x) => x === c && this.conns.get(c.key) === p && this.conns.delete(c.key),
        () => undefined,
      );
  }

  /** Closes every connection; the pool can still be used afterwards (it dials again). */
  async closeAll(): Promise<void> {
    const all = [...this.live];
    this.conns.clear();
    await Promise.all(
      all.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.closed) return resolve();
            const t = setTimeout(() => {
              c.sock?.destroy();
              resolve();
            }, 2000);
            // Keep the process alive until the goodbye is done (idle sockets are unref'd).
            c.sock?.ref();
            c.client.once("close", () => {
              clearTimeout(t);
              resolve();
            });
            c.client.end();
          }),
      ),
    );
    all.forEach((c) => this.drop(c));
  }

  get openConnections(): number {
    return this.live.size;
  }

  private async dialWithRetry(
    key: string,
    conn: ResolvedConnection,
    op?: Operation,
  ): Promise<PooledConnection> {
    const name = `${conn.host}:${conn.port}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= conn.dialErrorLimit; attempt++) {
      try {
        return await this.dialOnce(key, conn, op);
      } catch (e) {
        lastError = e;
        if (e instanceof TransportError && e.kind !== "dial") throw e;
        const msg = redact(e instanceof Error ? e.message : String(e), secretsOf(conn));
        this.debug(`dial ${name} attempt ${attempt}/${conn.dialErrorLimit} failed: ${msg}`);
        if (attempt >= conn.dialErrorLimit) break;
        const wait = Math.min(this.dialBackoffMs * 2 ** (attempt - 1), 8000);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    const msg = redact(lastError instanceof Error ? lastError.message : String(lastError), secretsOf(conn));
    throw new TransportError({
      kind: "dial",
      host: name,
      message: `could not connect after ${conn.dialErrorLimit} attempt(s): ${msg}`,
      hint: "check that the node is up and its sshd reachable on that address and port (dialErrorLimit, perDialTimeout)",
    });
  }

  private async dialOnce(key: string, conn: ResolvedConnection, op?: Operation): Promise<PooledConnection> {
    const name = `${conn.host}:${conn.port}`;
    const pinned = pinnedKey(conn, name);
    const parent = conn.proxy ? await this.connect(conn.proxy, op) : undefined;
    const secrets = secretsOf(conn);
    let sock: net.Socket | undefined;
    let stream: ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;
    const client = new Client();
    let hostKeyError: TransportError | undefined;
    // Offer only the key types we hold, so the server presents one we can compare.
    const held = pinned ? [pinned] : await this.hostKeys.lookup(knownHostsId(conn.host, conn.port));
    const hostKeyAlgorithms = [...new Set(held.flatMap((k) => algorithmsFor(k)))];

    const attempt = new Promise<void>((resolve, reject) => {
      if (conn.perDialTimeoutMs > 0)
        timer = setTimeout(() => {
          reject(
            new TransportError({
              kind: "dial",
              host: name,
              message: `no answer within ${conn.perDialTimeoutMs / 1000} s`,
            }),
          );
          sock?.destroy();
          stream?.destroy();
          client.end();
        }, conn.perDialTimeoutMs);

      const start = (s: net.Socket | ClientChannel) => {
        const cfg: ConnectConfig = {
          sock: s,
          username: conn.user,
          readyTimeout: conn.perDialTimeoutMs > 0 ? conn.perDialTimeoutMs : 24 * 3600_000,
          keepaliveInterval: 0,
          hostVerifier: (blob: Buffer, verify: (ok: boolean) => void) => {
            this.verifyHostKey(conn, blob, pinned).then(
              () => verify(true),
              (e: unknown) => {
                hostKeyError =
                  e instanceof TransportError
                    ? e
                    : new TransportError({
                        kind: "hostkey",
                        host: name,
                        message: redact(String(e), secrets),
                      });
                verify(false);
              },
            );
          },
        };
        if (hostKeyAlgorithms.length > 0) cfg.algorithms = { serverHostKey: hostKeyAlgorithms as never };
        if (conn.privateKey) cfg.privateKey = conn.privateKey;
        if (conn.privateKeyPassword) cfg.passphrase = conn.privateKeyPassword;
        if (conn.password) {
          cfg.password = conn.password;
          cfg.tryKeyboard = true;
        }
        if (conn.agentSocketPath && !conn.privateKey) cfg.agent = conn.agentSocketPath;
        client.once("ready", () => resolve());
        client.on("error", (err: Error & { level?: string }) => {
          if (hostKeyError) return reject(hostKeyError);
          const message = redact(err.message, secrets);
          if (err.level === "client-authentication")
            return reject(
              new TransportError({
                kind: "auth",
                host: name,
                message: `authentication as ${conn.user} failed (${message})`,
                hint: "check user, privateKey/password or the agent (agentSocketPath)",
              }),
            );
          reject(new TransportError({ kind: "dial", host: name, message }));
        });
        try {
          client.connect(cfg);
        } catch (e) {
          reject(
            new TransportError({
              kind: "config",
              host: name,
              message: redact(e instanceof Error ? e.message : String(e), secrets),
              hint: "check privateKey (PEM or OpenSSH text) and privateKeyPassword",
            }),
          );
        }
      };

      if (parent) {
        parent.retain();
        parent.client.forwardOut("127.0.0.1", 0, conn.host, conn.port, (err, ch) => {
          if (err) {
            parent.release();
            return reject(
              new TransportError({
                kind: "dial",
                host: name,
                message: `proxy ${parent.conn.host} could not reach it: ${redact(err.message, secrets)}`,
              }),
            );
          }
          stream = ch;
          start(ch);
        });
      } else {
        sock = net.connect({ host: conn.host, port: conn.port });
        sock.setNoDelay(true);
        sock.once("connect", () => start(sock as net.Socket));
        sock.once("error", (err) =>
          reject(new TransportError({ kind: "dial", host: name, message: err.message })),
        );
      }
    });

    try {
      await attempt;
    } catch (e) {
      sock?.destroy();
      client.end();
      if (parent && stream) parent.release();
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }

    const pooled = new PooledConnection(key, conn, client, sock, parent, this.maxChannels);
    // The proxy's channel stays open as long as this connection; it holds no reference of its own.
    if (parent) parent.release();
    sock?.unref();
    this.live.add(pooled);
    client.on("error", (err) => this.debug(`connection ${name}: ${redact(err.message, secrets)}`));
    client.on("close", () => this.drop(pooled));
    this.count(op, { connections: 1 });
    this.debug(`connected ${conn.user}@${name}${parent ? ` via ${parent.conn.host}` : ""}`);
    return pooled;
  }

  private async verifyHostKey(
    conn: ResolvedConnection,
    blob: Buffer,
    pinned: string | undefined,
  ): Promise<void> {
    const name = knownHostsId(conn.host, conn.port);
    const actual = keyString(blob);
    if (pinned) {
      if (actual !== pinned)
        throw new HostKeyMismatchError(name, fingerprint(pinned), fingerprint(blob), "the pinned hostKey");
      return;
    }
    let known = await this.hostKeys.lookup(name);
    if (known.length === 0) {
      // First use: record under the store's lock. A dial that raced us (this process or
      // another) may have recorded first; then ours is checked against that line.
      const first = await this.hostKeys.recordFirstUse(name, actual);
      if (first.recorded)
        this.debug(`recorded host key of ${name} (${fingerprint(blob)}) in ${this.hostKeys.description}`);
      known = first.keys;
    }
    if (!known.some((k) => normaliseKey(k) === actual)) {
      const sameType = known.find((k) => k.split(" ")[0] === actual.split(" ")[0]) ?? (known[0] as string);
      throw new HostKeyMismatchError(
        name,
        fingerprint(sameType),
        fingerprint(blob),
        this.hostKeys.description,
      );
    }
  }
}
