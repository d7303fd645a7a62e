// State shared by every handler in one provider process: the stack's default credentials and
// the capacity this process has planned but not yet created (so two volumes planned in one
// run never take the same extents).
import * as os from "node:os";
import * as path from "node:path";
import type { Connection } from "../core/model";

export interface StackDefaults {
  privateKey?: string;
  password?: string;
  privateKeyPassword?: string;
  knownHostsFile?: string;
}

let defaults: StackDefaults = {};

export function configureFromStack(values: StackDefaults): void {
  defaults = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ""));
}

export function stackDefaults(): StackDefaults {
  return defaults;
}

/** Where unpinned host keys are recorded (`glusterfs:knownHostsFile`; a leading `~/` is the home directory). */
export function knownHostsFile(): string | undefined {
  const file = defaults.knownHostsFile;
  if (!file) return undefined;
  return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : path.resolve(file);
}

/** A connection with the stack's default credentials filled in where the resource gave none. */
export function withDefaultCredentials(connection: Connection): Connection {
  const merged: Connection = { ...connection };
  if (!merged.privateKey && !merged.password && !merged.agentSocketPath) {
    if (defaults.privateKey) merged.privateKey = defaults.privateKey;
    if (defaults.password) merged.password = defaults.password;
  }
  if (!merged.privateKeyPassword && defaults.privateKeyPassword)
    merged.privateKeyPassword = defaults.privateKeyPassword;
  return merged;
}

/** Bytes reserved per device ("node|device") by volumes planned in this process, keyed "cluster/name". */
const reservations = new Map<string, Map<string, number>>();

export function reserve(volume: string, perDevice: Map<string, number>): void {
  reservations.set(volume, perDevice);
}
export function release(volume: string): void {
  reservations.delete(volume);
}
export function reservedByOthers(volume: string, deviceKey: string): number {
  let total = 0;
  for (const [owner, perDevice] of reservations) if (owner !== volume) total += perDevice.get(deviceKey) ?? 0;
  return total;
}

/** The Volume resource (owner) that claimed each volume name in this process, keyed "cluster/name". */
const claims = new Map<string, string>();

/**
 * Claims a volume name for one Volume resource for the life of this process (one preview or up).
 * Returns the owner that claimed it first when that is another resource of the same program.
 */
export function claimVolumeName(cluster: string, name: string, owner: string): string | undefined {
  const key = `${cluster}/${name}`;
  const first = claims.get(key);
  if (first !== undefined && first !== owner) return first;
  claims.set(key, owner);
  return undefined;
}

/** Volumes (keyed "cluster/name") whose check found bricks a cut operation left that the plan does not use. */
const leftoverBricks = new Set<string>();

/** check notes that the nodes hold leftovers for a volume, so diff asks for an update that removes them. */
export function noteLeftovers(key: string, present: boolean): void {
  if (present) leftoverBricks.add(key);
  else leftoverBricks.delete(key);
}
export function hasLeftovers(key: string): boolean {
  return leftoverBricks.has(key);
}
