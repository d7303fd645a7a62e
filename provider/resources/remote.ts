// Reaching nodes from the resource functions: executors come from the process's deps.
import type { Deps, Target } from "./deps";

export type { Target } from "./deps";

/** Connects to every target (a trivial read-only step) and names every node that cannot be reached. */
export async function requireReachable(deps: Deps, targets: Target[], what: string): Promise<void> {
  const results = await Promise.allSettled(
    targets.map(async (t) => {
      const r = await deps.executorFor(t).run({
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
