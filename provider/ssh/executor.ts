// RemoteExecutor over the pool: one channel per step, the script on stdin of `bash -s`,
// a timeout on both ends, retries only where they are safe.
import type { ClientChannel } from "ssh2";
import type { RemoteExecutor, RemoteResult, RemoteScript, RunOptions } from "../core/exec";
import { shq } from "../core/shell";
import { type ResolvedConnection, secretsOf } from "./connection";
import { TransportError } from "./errors";
import type { ExecCounters } from "../core/exec";
import type { PooledConnection } from "./pooled";
import { redact } from "./redact";

/** Seconds the local timer waits beyond the remote `timeout` before closing the channel. */
const GRACE_MS = 15_000;
const REMOTE_MS = /(?:^|\n)@@remote-ms (\d+)\n?$/;

/**
 * The command line the node runs. Constant apart from the timeout: the script itself only
 * travels on stdin. The wrapper measures the script's own time on the node.
 */
export function remoteCommand(timeoutMs: number, sudo: boolean): string {
  const secs = Math.max(1, Math.ceil(timeoutMs / 1000));
  // The script is read whole from stdin first and run from another descriptor with stdin at
  // /dev/null, so no command inside it can swallow the rest of the script.
  const inner =
    's=$(date +%s%N); script=$(cat); bash /dev/fd/3 3<<<"$script" </dev/null; rc=$?; ' +
    'echo "@@remote-ms $(( ($(date +%s%N) - s) / 1000000 ))" >&2; exit $rc';
  return `${sudo ? "sudo -n " : ""}env LC_ALL=C timeout -k 10 ${secs} bash -c ${shq(inner)}`;
}

/** What an executor needs from its pool (kept as an interface so the two files do not import each other). */
export interface ExecutorPool<Op> {
  readonly defaultTimeoutMs: number;
  readonly readRetries: number;
  connect(conn: ResolvedConnection, op?: Op): Promise<PooledConnection>;
  count(op: Op | undefined, c: Partial<ExecCounters>): void;
  debug(line: string): void;
}

export class SshExecutor<Op = unknown> implements RemoteExecutor {
  readonly host: string;
  constructor(
    private readonly pool: ExecutorPool<Op>,
    readonly conn: ResolvedConnection,
    private readonly op: Op | undefined,
  ) {
    this.host = conn.port === 22 ? conn.host : `${conn.host}:${conn.port}`;
  }

  async run(script: RemoteScript, opts: RunOptions = {}): Promise<RemoteResult> {
    const timeoutMs = opts.timeoutMs ?? script.timeoutMs ?? this.pool.defaultTimeoutMs;
    const attempts = 1 + (script.readOnly ? this.pool.readRetries : 0);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(script, timeoutMs, opts.signal);
      } catch (e) {
        // A step that never started is always safe to retry; a read-only one is safe anyway.
        const retryable =
          e instanceof TransportError && e.kind === "lost" && (!e.mayHaveRun || script.readOnly);
        if (!retryable || attempt >= Math.max(attempts, 2) || (e.mayHaveRun && attempt >= attempts)) throw e;
        this.pool.count(this.op, { retries: 1 });
        this.pool.debug(
          `${this.host}: retrying ${script.step} (attempt ${attempt + 1}): ${(e as Error).message}`,
        );
      }
    }
  }

  private async runOnce(
    script: RemoteScript,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<RemoteResult> {
    const c = await this.pool.connect(this.conn, this.op);
    const release = await c.channels.acquire();
    c.retain();
    try {
      return await this.exec(c, script, timeoutMs, signal);
    } finally {
      c.release();
      release();
    }
  }

  private exec(
    c: PooledConnection,
    script: RemoteScript,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<RemoteResult> {
    const command = remoteCommand(timeoutMs, this.conn.sudo);
    const secrets = secretsOf(this.conn);
    const started = Date.now();
    const lost = (message: string, mayHaveRun: boolean) =>
      new TransportError({
        kind: "lost",
        host: this.host,
        step: script.step,
        message: redact(message, secrets),
        mayHaveRun,
        hint: mayHaveRun
          ? "the step may have run in part; every step converges when run again, so retry the operation"
          : "retry the operation",
      });

    return new Promise<RemoteResult>((resolve, reject) => {
      let done = false;
      let channel: ClientChannel | undefined;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        c.client.removeListener("close", onClose);
        signal?.removeEventListener("abort", onAbort);
        f();
      };
      const onClose = () =>
        finish(() => reject(lost("the connection closed while the step ran", channel !== undefined)));
      const onAbort = () => {
        channel?.close();
        finish(() =>
          reject(
            new TransportError({
              kind: "timeout",
              host: this.host,
              step: script.step,
              message: "aborted by the caller",
              mayHaveRun: true,
            }),
          ),
        );
      };
      const timer = setTimeout(() => {
        try {
          channel?.signal("KILL");
        } catch {
          /* not every server accepts signals */
        }
        channel?.close();
        finish(() =>
          reject(
            new TransportError({
              kind: "timeout",
              host: this.host,
              step: script.step,
              message: `no result within ${Math.round(timeoutMs / 1000)} s`,
              mayHaveRun: true,
              hint: "the step may have run in part; it converges when run again (raise the step timeout if the node is slow)",
            }),
          ),
        );
      }, timeoutMs + GRACE_MS);
      c.client.once("close", onClose);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });

      try {
        c.client.exec(command, (e, ch) => {
          if (e) return finish(() => reject(lost(`could not open a channel: ${e.message}`, false)));
          channel = ch;
          if (done) return ch.close();
          ch.on("data", (d: Buffer) => out.push(d));
          ch.stderr.on("data", (d: Buffer) => err.push(d));
          ch.on("close", (code: number | null, sig?: string) => {
            finish(() => {
              const stdout = Buffer.concat(out).toString("utf8");
              let stderr = Buffer.concat(err).toString("utf8");
              let remoteMs: number | undefined;
              const m = REMOTE_MS.exec(stderr);
              if (m) {
                remoteMs = Number(m[1]);
                stderr = stderr.slice(0, m.index) + (m[0].startsWith("\n") ? "\n" : "");
              }
              const durationMs = Date.now() - started;
              const exit = typeof code === "number" ? code : sig ? 255 : 255;
              this.pool.count(this.op, {
                roundTrips: 1,
                commands: script.commands ?? 1,
                bytesSent: Buffer.byteLength(command) + Buffer.byteLength(script.text),
                bytesReceived: Buffer.byteLength(stdout) + Buffer.byteLength(stderr),
                remoteMs: remoteMs ?? 0,
              });
              this.pool.debug(
                `${this.host}: ${script.step} exit ${exit} in ${durationMs} ms${remoteMs !== undefined ? ` (on node ${remoteMs} ms)` : ""}`,
              );
              if (exit === 124 && (remoteMs ?? durationMs) >= timeoutMs - 1000)
                return reject(
                  new TransportError({
                    kind: "timeout",
                    host: this.host,
                    step: script.step,
                    message: `stopped on the node after ${Math.round(timeoutMs / 1000)} s`,
                    mayHaveRun: true,
                    hint: "the step may have run in part; it converges when run again (raise the step timeout if the node is slow)",
                  }),
                );
              resolve({
                code: exit,
                stdout,
                stderr: redact(stderr, secrets),
                durationMs,
                ...(remoteMs !== undefined ? { remoteMs } : {}),
              });
            });
          });
          ch.on("error", (e2: Error) => finish(() => reject(lost(e2.message, true))));
          ch.end(script.text);
        });
      } catch (e) {
        finish(() => reject(lost(e instanceof Error ? e.message : String(e), false)));
      }
    });
  }
}
