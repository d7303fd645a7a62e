// When the program has declared everything it will declare.
//
// A Volume needs every Node and Device of its cluster, wherever the program declares them:
// before or after the Volume, after an `await`, or inside an `apply` of another resource's
// output (a VM's address). Pulumi's Node.js runtime gives no "program done" callback, but it
// keeps the process alive while the program has work pending (a timer, an `await`, an RPC to the
// engine such as a resource being created, an `apply` waiting for an output) and emits
// `beforeExit` only once the event loop is empty, which is when the program can no longer
// declare anything of its own accord. The runtime itself relies on that: its shutdown handler is
// a `beforeExit` handler that it arranges to run after every other one, and after the work those
// schedule (Pulumi's AWS package declares resources there), so resources registered from our
// handler still reach the engine.
//
// So a Volume's topology (and its dependencies on the nodes and devices) is a promise resolved at
// the first `beforeExit`. Guarantees and limits:
// - every Node and Device declared synchronously, after any `await` of a still-running program,
//   or in an `apply` that runs before the event loop drains, is seen, in declaration order;
// - a Node or Device declared after that (only possible from an `apply` on this Volume's own
//   outputs, a cycle) is refused with an error naming it, never silently left out;
// - the Volume is registered once the rest of the program has been: in `pulumi up` it waits for
//   the resources being created at that moment (its nodes and devices are among them anyway);
// - an Automation API inline program runs inside a process that stays busy, so `beforeExit`
//   does not come while it runs: such programs call `programDeclared()` at their end.

let ended = false;
let resolveEnd: () => void = () => undefined;
const end = new Promise<void>((resolve) => (resolveEnd = resolve));
let listening = false;

/** Resolves once the program has declared everything (the first `beforeExit`, or `programDeclared()`). */
export function whenProgramDeclared(): Promise<void> {
  if (!listening) {
    listening = true;
    process.once("beforeExit", programDeclared);
  }
  return end;
}

/**
 * Says the program has declared all its resources. Needed only where the process never empties
 * its event loop while the program runs (an Automation API inline program): call it last.
 */
export function programDeclared(): void {
  ended = true;
  resolveEnd();
}

/** True once the volumes have taken their clusters' topology. */
export function programHasDeclared(): boolean {
  return ended;
}
