// Running one built script and reading its result: refusals and failures become RemoteError.
import type { RemoteExecutor, RemoteResult, RemoteScript } from "../core/exec";
import { RemoteError } from "../core/errors";
import { type ScriptOutput, parseMarkers } from "./markers";
import { EXIT_REFUSED } from "./script";

export interface StepResult {
  /** What the step changed; empty when the node was already as asked. */
  readonly changes: string[];
  readonly output: ScriptOutput;
  readonly result: RemoteResult;
}

/**
 * What to tell the user next, by the cause a script names when it fails or refuses
 * (`fail_because KEY` / `refuse_because KEY`): a hint is only given for the cause it fits.
 * A plain string is for a step whose every failure has that one remedy.
 */
export type StepHints = string | Readonly<Record<string, string>>;

/** Causes the shared prelude names, for every step. */
const PRELUDE_HINTS: Readonly<Record<string, string>> = {
  "node-locked":
    "another step of this or another provider process holds the node lock (named above); wait for it to end, or end it if it hangs, then retry",
};

/** The hint for the cause the script named; a plain string only when no cause has its own. */
function hintFor(hints: StepHints | undefined, causes: readonly string[]): string | undefined {
  const byCause = typeof hints === "string" ? {} : (hints ?? {});
  for (const c of causes) {
    const h = byCause[c] ?? PRELUDE_HINTS[c];
    if (h !== undefined) return h;
  }
  return typeof hints === "string" ? hints : undefined;
}

/**
 * A refusal without a hint of its own: what the step did before it refused, and no remedy beyond
 * the refusal's own words (an opt-in is offered only by the causes that have one).
 */
function refusalHint(changes: readonly string[]): string {
  return changes.length === 0
    ? "nothing was changed by this step; fix what the refusal names, then retry"
    : `the step refused after it had changed: ${changes.join(", ")}; fix what the refusal names, then retry`;
}

export async function runStep(
  exec: RemoteExecutor,
  script: RemoteScript,
  hints?: StepHints,
): Promise<StepResult> {
  const result = await exec.run(script);
  const output = parseMarkers(result.stdout);
  const hint = hintFor(hints, output.causes);
  if (result.code === EXIT_REFUSED)
    throw new RemoteError({
      node: exec.host,
      step: script.step,
      exitCode: result.code,
      stderr: result.stderr,
      message: `refused: ${output.refusals.join("; ") || "see stderr"}`,
      hint: hint ?? refusalHint(output.changes),
      changes: output.changes,
    });
  if (result.code !== 0)
    throw new RemoteError({
      node: exec.host,
      step: script.step,
      exitCode: result.code,
      stderr: result.stderr,
      changes: output.changes,
      hint: hint ?? "the step converges when run again; fix the cause shown in stderr and retry",
    });
  if (!output.done)
    throw new RemoteError({
      node: exec.host,
      step: script.step,
      exitCode: result.code,
      stderr: result.stderr,
      message: "ended without reaching the end of its script",
      changes: output.changes,
      hint: "the step converges when run again; if this repeats, a command on the node is reading the script's input",
    });
  return { changes: output.changes, output, result };
}

/** Runs a step whose callers only need to know what it changed. */
export async function applyStep(exec: RemoteExecutor, script: RemoteScript): Promise<{ changes: string[] }> {
  return { changes: (await runStep(exec, script)).changes };
}

/** Runs one task per node at once; waits for all and reports every failure, not just the first. */
export async function onNodes<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const settled = await Promise.allSettled(items.map(fn));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed.length === 1) throw failed[0]?.reason;
  if (failed.length > 1)
    throw new AggregateError(
      failed.map((f) => f.reason),
      `${failed.length} of ${items.length} node steps failed:\n` +
        failed.map((f) => `- ${f.reason instanceof Error ? f.reason.message : String(f.reason)}`).join("\n"),
    );
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}
