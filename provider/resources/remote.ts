// Reaching nodes from the handlers: one SSH pool per provider process, stack-default credentials
// filled in. What runs on a node is built by provider/node; this file only supplies executors.
import type { RemoteExecutor } from "../core/exec";
import type { Connection } from "../core/model";
import { FileHostKeyStore, SshPool, defaultKnownHostsPath } from "../ssh";
import { knownHostsFile, withDefaultCredentials } from "./context";

let pool: SshPool | undefined;
/** The process's pool, recording host keys where stack config `glusterfs:knownHostsFile` says. */
function sshPool(): SshPool {
  const file = knownHostsFile() ?? defaultKnownHostsPath();
  if (!pool || (pool.hostKeys as FileHostKeyStore).file !== file) {
    void pool?.closeAll(); // configured anew with another file (tests): the old pool's keys no longer apply
    pool = new SshPool({ hostKeys: new FileHostKeyStore(file) });
  }
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

/** Connects to every target (a trivial read-only step) and names every node that cannot be reached. */
export async function requireReachable(targets: Target[], what: string): Promise<void> {
  const results = await Promise.allSettled(
    targets.map(async (t) => {
      const r = await executorFor(t).run({
        step: "reach",
        text: "true\n",
        readOnly: true,
        timeoutMs: 30_000,
      });
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${(r.stderr || r.stdout).trim()}`);
    }),
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
