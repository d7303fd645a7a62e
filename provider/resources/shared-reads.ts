// Reads that several resources of one command ask of the same node at the same moment share one
// round trip. The engine checks every Volume of a stack at once, and each reads every node's
// inventory: N volumes on M nodes were N x M scripts, each of them a burst of lvs, findmnt and
// gluster commands on the node. A read that joins one still in flight gets the same answer it
// would have got a moment later on its own; nothing is kept once a read settles, so no answer
// outlives the moment it was read in and every later step reads the node afresh.
import type { InventoryOptions } from "../node";
import type { Connection } from "../core/model";

export class SharedReads {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** Runs `read`, or joins the identical read (same KEY) already in flight. */
  join<T>(key: string, read: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    const p = read().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  get pending(): number {
    return this.inFlight.size;
  }
}

/**
 * The key of one node read: the node as dialled (address, port, user, proxy: two nodes behind
 * one forwarding host differ by port) and the read's options.
 */
export function readKey(
  target: { manageAddress: string; connection: Connection },
  what: string,
  opts: InventoryOptions = {},
): string {
  const c = target.connection;
  return JSON.stringify([
    what,
    target.manageAddress,
    c.host ?? target.manageAddress,
    c.port ?? 22,
    c.user ?? "",
    c.proxy ? [c.proxy.host, c.proxy.port ?? 22, c.proxy.user ?? ""] : null,
    opts,
  ]);
}
