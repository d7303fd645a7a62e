// What every resource function is given instead of reaching for module state: how to run a
// script on a node, the stack's configuration, what this provider process has planned so far,
// and where to log. A provider process builds one set (provider/dynamic); a unit test builds
// its own, with a recording executor in place of SSH.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ValidationError } from "../core/errors";
import type { RemoteExecutor } from "../core/exec";
import type { Connection } from "../core/model";
import { FileHostKeyStore, type HostKeyStore, SshPool, debugLogger, defaultKnownHostsPath } from "../ssh";
import * as node from "../node";
import { withFaults } from "./faults";
import { SharedReads, readKey } from "./shared-reads";

/** Stack config values; a key the stack does not set is absent or `undefined` (config.get's answer). */
export interface StackDefaults {
  privateKey?: string | undefined;
  password?: string | undefined;
  privateKeyPassword?: string | undefined;
  knownHostsFile?: string | undefined;
}

/** A node to run scripts on: its manage address and how to reach it. */
export interface Target {
  manageAddress: string;
  connection: Connection;
}

/** Makes an executor for a node whose connection already carries every credential it needs. */
export type ExecutorFactory = (target: Target & { connection: Connection }) => RemoteExecutor;

export interface Deps {
  /** An executor for the node, the stack's default credentials filled in where it gave none. */
  executorFor(target: Target): RemoteExecutor;
  /**
   * The node's inventory; an identical read already in flight for the same node is joined
   * (shared-reads.ts), so resources checked at once cost one round trip per node.
   */
  inventory(target: Target, opts?: node.InventoryOptions): Promise<node.NodeInventory>;
  /** The stack's configuration as last set (configure runs once per provider process). */
  stack(): StackDefaults;
  configure(values: StackDefaults): void;
  /** What this process has planned but not made yet, and the names its resources claimed. */
  memory: ProcessMemory;
  /** Debug lines (operation names, never values); by default where the transport's debug output goes. */
  log(line: string): void;
}

/**
 * A key named by `privateKeyPath` (the node's or its jump host's) read in, at dial time: only the
 * path is ever in a resource's inputs or state. A key given in the connection wins.
 */
export function withKeyFiles(
  connection: Connection,
  read: (file: string) => string = (file) => fs.readFileSync(file, "utf8"),
): Connection {
  function load<T extends { privateKey?: string | undefined; privateKeyPath?: string | undefined }>(
    c: T,
    field: string,
  ): T {
    if (c.privateKey || !c.privateKeyPath) return c;
    const given = c.privateKeyPath;
    const file = given.startsWith("~/") ? path.join(os.homedir(), given.slice(2)) : given;
    try {
      return { ...c, privateKey: read(file) };
    } catch (err) {
      throw new ValidationError(
        field,
        given,
        "a readable private key file on the machine that runs pulumi",
        err instanceof Error ? err.message : String(err),
      );
    }
  }
  const own = load(connection, "connection.privateKeyPath");
  return own.proxy ? { ...own, proxy: load(own.proxy, "connection.proxy.privateKeyPath") } : own;
}

/** A connection with the stack's default credentials filled in where the resource gave none. */
export function withDefaultCredentials(connection: Connection, defaults: StackDefaults): Connection {
  const merged: Connection = { ...connection };
  if (!merged.privateKey && !merged.privateKeyPath && !merged.password && !merged.agentSocketPath) {
    if (defaults.privateKey) merged.privateKey = defaults.privateKey;
    if (defaults.password) merged.password = defaults.password;
  }
  if (!merged.privateKeyPassword && defaults.privateKeyPassword)
    merged.privateKeyPassword = defaults.privateKeyPassword;
  return merged;
}

/** Where unpinned host keys are recorded (`glusterfs:knownHostsFile`; a leading `~/` is the home directory). */
export function knownHostsFile(defaults: StackDefaults): string | undefined {
  const file = defaults.knownHostsFile;
  if (!file) return undefined;
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : path.resolve(file);
}

/**
 * The dependencies of one provider process. `executors` makes the executor for a node whose
 * credentials are merged in; without it, one SSH pool per process dials, recording host keys in
 * `hostKeys` (default: the file `glusterfs:knownHostsFile` names, else the user's default).
 */
export function createDeps(
  opts: {
    executors?: ExecutorFactory;
    hostKeys?: (defaults: StackDefaults) => HostKeyStore;
    log?: (line: string) => void;
    stack?: StackDefaults;
  } = {},
): Deps {
  let defaults: StackDefaults = {};
  let pool: SshPool | undefined;
  let poolFile: string | undefined;
  const sshExecutor: ExecutorFactory = (target) => {
    const file = knownHostsFile(defaults) ?? defaultKnownHostsPath();
    if (!pool || poolFile !== file) {
      void pool?.closeAll(); // configured anew with another file: the old pool's keys no longer apply
      pool = new SshPool({ hostKeys: opts.hostKeys?.(defaults) ?? new FileHostKeyStore(file) });
      poolFile = file;
    }
    const conn = target.connection;
    return withFaults(pool, pool.executor({ ...conn, host: conn.host ?? target.manageAddress }));
  };
  const executors = opts.executors ?? sshExecutor;
  const reads = new SharedReads();
  const deps: Deps = {
    executorFor: (target) =>
      executors({ ...target, connection: withKeyFiles(withDefaultCredentials(target.connection, defaults)) }),
    inventory: (target, o = {}) =>
      reads.join(readKey(target, "inventory", o), () => node.readInventory(deps.executorFor(target), o)),
    stack: () => defaults,
    configure: (values) => {
      defaults = Object.fromEntries(
        Object.entries(values).filter(([, v]) => v !== undefined && v !== ""),
      ) as StackDefaults;
    },
    memory: new ProcessMemory(),
    log: opts.log ?? debugLogger() ?? (() => undefined),
  };
  if (opts.stack) deps.configure(opts.stack);
  return deps;
}

/**
 * What one provider process remembers between the calls of one preview or update: the capacity
 * planned but not yet created (so two volumes planned in one run never take the same extents),
 * the volume names and volume groups its resources claimed, and volumes whose check found
 * leftovers of a cut operation.
 */
export class ProcessMemory {
  /** Bytes reserved per device ("node|device") by volumes planned in this process, keyed "cluster/name". */
  private readonly reservations = new Map<string, Map<string, number>>();
  /** The Volume resource (owner) that claimed each volume name, keyed "cluster/name". */
  private readonly claims = new Map<string, string>();
  /** Volume groups claimed by Devices, keyed by cluster, node and VG name: the device path. */
  readonly volumeGroups = new Map<string, string>();
  private readonly leftoverBricks = new Set<string>();

  reserve(volume: string, perDevice: Map<string, number>): void {
    this.reservations.set(volume, perDevice);
  }
  release(volume: string): void {
    this.reservations.delete(volume);
  }
  reservedByOthers(volume: string, deviceKey: string): number {
    let total = 0;
    for (const [owner, perDevice] of this.reservations)
      if (owner !== volume) total += perDevice.get(deviceKey) ?? 0;
    return total;
  }

  /** Claims a volume name for one Volume resource; returns the first owner when that is another resource. */
  claimVolumeName(cluster: string, name: string, owner: string): string | undefined {
    const key = `${cluster}/${name}`;
    const first = this.claims.get(key);
    if (first !== undefined && first !== owner) return first;
    this.claims.set(key, owner);
    return undefined;
  }

  /** check notes that the nodes hold leftovers for a volume, so diff asks for an update that removes them. */
  noteLeftovers(key: string, present: boolean): void {
    if (present) this.leftoverBricks.add(key);
    else this.leftoverBricks.delete(key);
  }
  hasLeftovers(key: string): boolean {
    return this.leftoverBricks.has(key);
  }
}
