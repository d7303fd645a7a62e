// A test hook for failure handling, never set in production: PULUMI_GLUSTERFS_FAULT makes steps
// of this provider process lose their SSH connection at chosen points, so the e2e tests can cut
// operations at any step deterministically and check that the next run converges.
//
//   after:<step>          the first run of <step> that succeeds, then the connection drops
//   during:<step>[:<ms>]  the first run of <step>; its connection drops <ms> (default 5000) after it started
//
// Several faults are separated by commas. <step> is a ScriptBuilder name from provider/node
// (e.g. brick.create, volume.add-bricks, volume.rebalance). Each fault fires once per provider
// process; the caller sees the same "connection lost" error a real network failure gives.
import type { RemoteExecutor, RemoteResult, RemoteScript, RunOptions } from "../core/exec";
import { SshExecutor, type SshPool, TransportError } from "../ssh";

export const FAULT_ENV = "PULUMI_GLUSTERFS_FAULT";

export interface Fault {
  when: "after" | "during";
  step: string;
  /** For `during`: how long the step runs before its connection drops. */
  delayMs: number;
}

export function parseFault(value: string | undefined): Fault | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const m = /^(after|during):([a-z][a-z0-9.-]*)(?::(\d+))?$/.exec(value.trim());
  if (!m || (m[1] === "after" && m[3] !== undefined))
    throw new Error(
      `${FAULT_ENV}: ${JSON.stringify(value)} is not a fault: expected after:<step> or during:<step>[:<ms>] ` +
        `(a test hook; unset it for normal use)`,
    );
  return { when: m[1] as Fault["when"], step: m[2]!, delayMs: m[3] !== undefined ? Number(m[3]) : 5000 };
}

/** The faults a comma-separated list names. */
export function parseFaults(value: string | undefined): Fault[] {
  return (value ?? "").split(",").flatMap((part) => parseFault(part) ?? []);
}

let planned: Fault[] | undefined;
const fired = new Set<Fault>();

function faults(): Fault[] {
  planned ??= parseFaults(process.env[FAULT_ENV]);
  return planned;
}

/** Drops the pooled connection the executor uses, as a cable pulled out would. */
async function dropConnection(pool: SshPool, exec: SshExecutor): Promise<void> {
  const c = await pool.connect(exec.conn);
  c.client.destroy();
}

/** The executor itself, or (when the hook is set) one that injects the faults into the matching steps. */
export function withFaults(pool: SshPool, exec: RemoteExecutor): RemoteExecutor {
  if (faults().length === 0 || !(exec instanceof SshExecutor)) return exec;
  const lost = (script: RemoteScript, message: string) =>
    new TransportError({
      kind: "lost",
      host: exec.host,
      step: script.step,
      message: `${message} (fault injected by ${FAULT_ENV})`,
      mayHaveRun: true,
      hint: "the step may have run in part; every step converges when run again, so retry the operation",
    });
  return {
    host: exec.host,
    async run(script: RemoteScript, opts?: RunOptions): Promise<RemoteResult> {
      const f = faults().find((x) => x.step === script.step && !fired.has(x));
      if (!f) return exec.run(script, opts);
      fired.add(f);
      if (f.when === "during") {
        let cut = false;
        const timer = setTimeout(() => {
          cut = true;
          void dropConnection(pool, exec);
        }, f.delayMs);
        try {
          await exec.run(script, opts);
        } finally {
          clearTimeout(timer);
        }
        // The step finished before the cut: drop the connection now, so the fault still happens.
        if (!cut) await dropConnection(pool, exec);
        throw lost(script, "the connection closed while the step ran");
      }
      const result = await exec.run(script, opts);
      if (result.code !== 0) {
        fired.delete(f); // only a step that succeeded is cut after
        return result;
      }
      await dropConnection(pool, exec);
      throw lost(script, "the connection closed after the step ran");
    },
  };
}
