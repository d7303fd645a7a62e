// Running scripts on nodes from the handlers: one SSH pool per provider process, stack-default
// credentials filled in, a non-zero exit turned into a RemoteError that says what to do next.
import { RemoteError } from "../core/errors";
import type { RemoteExecutor, RemoteResult } from "../core/exec";
import type { Connection } from "../core/model";
import { SshPool } from "../ssh";
import { withDefaultCredentials } from "./context";

let pool: SshPool | undefined;
function sshPool(): SshPool {
  pool ??= new SshPool();
  return pool;
}

export interface Target {
  manageAddress: string;
  connection: Connection;
}

export function executorFor(target: Target): RemoteExecutor {
  const conn = withDefaultCredentials(target.connection);
  return sshPool().executor({ ...conn, host: conn.host ?? target.manageAddress });
}

export interface Step {
  step: string;
  text: string;
  readOnly?: boolean;
  timeoutMs?: number;
  hint?: string;
}

/** Runs one node-local step; a non-zero exit throws a RemoteError naming node, step and stderr. */
export async function runStep(target: Target, s: Step): Promise<RemoteResult> {
  const script = `set -euo pipefail\nexport LC_ALL=C\n${s.text}`;
  const result = await executorFor(target).run({
    step: s.step,
    text: script,
    readOnly: s.readOnly ?? false,
    ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
  });
  if (result.code !== 0) {
    throw new RemoteError({
      node: target.manageAddress,
      step: s.step,
      exitCode: result.code,
      stderr: result.stderr || result.stdout,
      ...(s.hint ? { hint: s.hint } : {}),
    });
  }
  return result;
}

/** Runs one step per target at once; waits for all, then throws the first failure with the others noted. */
export async function onEach<T>(items: T[], f: (item: T) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled(items.map(f));
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new Error(failures.map((f) => (f instanceof Error ? f.message : String(f))).join("\n"));
  }
}

/** Connects to every target (a trivial read-only step) and names every node that cannot be reached. */
export async function requireReachable(targets: Target[], what: string): Promise<void> {
  const results = await Promise.allSettled(
    targets.map((t) => runStep(t, { step: "reach", text: "true", readOnly: true, timeoutMs: 30_000 })),
  );
  const down = results.flatMap((r, i) =>
    r.status === "rejected"
      ? [
          `${targets[i]!.manageAddress} (${r.reason instanceof Error ? r.reason.message.split("\n")[0] : String(r.reason)})`,
        ]
      : [],
  );
  if (down.length > 0) {
    throw new Error(
      `${what}: cannot reach ${down.join(", ")}. Nothing was changed and the resource stays in state; ` +
        `bring the node back (or fix its connection) and run the command again.`,
    );
  }
}
