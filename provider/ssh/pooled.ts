import type * as net from "node:net";
import type { Client } from "ssh2";
import type { ResolvedConnection } from "./connection";
import { Semaphore } from "./semaphore";

/** A live connection and its bookkeeping. */
export class PooledConnection {
  closed = false;
  private active = 0;
  readonly channels: Semaphore;
  constructor(
    readonly key: string,
    readonly conn: ResolvedConnection,
    readonly client: Client,
    readonly sock: net.Socket | undefined,
    readonly parent: PooledConnection | undefined,
    maxChannels: number,
  ) {
    this.channels = new Semaphore(maxChannels);
  }

  /** While any channel is open the socket keeps the process alive; idle, it does not. */
  retain(): void {
    if (this.active++ === 0) {
      this.sock?.ref();
      this.parent?.retain();
    }
  }
  release(): void {
    if (--this.active === 0) {
      this.sock?.unref();
      this.parent?.release();
    }
  }
}
