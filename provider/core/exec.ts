// The contract between what runs on a node (provider/node) and how it gets there
// (provider/ssh). Pure types only.

/** One node-local step: a whole bash script, run in one round trip. */
export interface RemoteScript {
  /** Short name of the step, used in errors, logs and counters (e.g. "brick.create"). */
  readonly step: string;
  /** The script text, piped to `bash -s` on the node. Contains no secrets. */
  readonly text: string;
  /** True when the script changes nothing; only such steps are retried after a lost connection. */
  readonly readOnly: boolean;
  /** Per-step limit; the transport's default applies when absent. */
  readonly timeoutMs?: number;
  /** How many programs the script runs on the happy path (for counters). */
  readonly commands?: number;
}

export interface RemoteResult {
  /** Exit code of the script (never thrown for a non-zero code). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time seen by the caller, round trip included. */
  readonly durationMs: number;
  /** Time the script itself took on the node, when it reported it. */
  readonly remoteMs?: number;
}

export interface RunOptions {
  /** Overrides the script's own timeout. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Runs scripts on one node. Transport failures and timeouts reject; non-zero exits resolve. */
export interface RemoteExecutor {
  /** The node as the caller named it (host, or host:port), for errors. */
  readonly host: string;
  run(script: RemoteScript, opts?: RunOptions): Promise<RemoteResult>;
}

/** Figures kept per operation by the transport. */
export interface ExecCounters {
  connections: number;
  roundTrips: number;
  commands: number;
  bytesSent: number;
  bytesReceived: number;
  retries: number;
  /** Sum of remote step times (ms) as reported by the scripts. */
  remoteMs: number;
}

export function emptyCounters(): ExecCounters {
  return {
    connections: 0,
    roundTrips: 0,
    commands: 0,
    bytesSent: 0,
    bytesReceived: 0,
    retries: 0,
    remoteMs: 0,
  };
}

export function addCounters(into: ExecCounters, from: Partial<ExecCounters>): void {
  for (const k of Object.keys(into) as (keyof ExecCounters)[]) into[k] += from[k] ?? 0;
}
