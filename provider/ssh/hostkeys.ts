// Host key checks: a pinned key when the connection gives one; otherwise trust on first use,
// recorded in a known_hosts-style file (or a caller-provided store) and enforced afterwards.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface HostKeyStore {
  /** Keys recorded for this known_hosts id ("host" or "[host]:port"), as "type base64". */
  lookup(id: string): Promise<string[]>;
  record(id: string, key: string): Promise<void>;
  /** Where the keys live, for error messages. */
  readonly description: string;
}

/** "ssh-ed25519 AAAA..." from the raw key blob the server presented. */
export function keyString(blob: Buffer): string {
  return `${keyType(blob)} ${blob.toString("base64")}`;
}

export function keyType(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString("latin1");
}

/** OpenSSH-style fingerprint: SHA256:<base64 without padding>. */
export function fingerprint(key: string | Buffer): string {
  const blob = typeof key === "string" ? Buffer.from(normaliseKey(key).split(" ")[1] ?? "", "base64") : key;
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

/** Reduces "ssh-ed25519 AAAA... comment" (or a known_hosts line's key part) to "type base64". */
export function normaliseKey(key: string): string {
  const parts = key.trim().split(/\s+/);
  const i = parts.findIndex((p) => /^(ssh-|ecdsa-|sk-)/.test(p));
  if (i < 0 || !parts[i + 1]) throw new Error("host key must look like 'ssh-ed25519 AAAA...'");
  return `${parts[i]} ${parts[i + 1]}`;
}

/** Host key algorithms to offer so the server presents the same kind of key we hold. */
export function algorithmsFor(key: string): string[] {
  const t = normaliseKey(key).split(" ")[0] as string;
  return t === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [t];
}

export function defaultKnownHostsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.PULUMI_GLUSTERFS_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-glusterfs");
  return path.join(base, "known_hosts");
}

/** known_hosts file: "id type base64" per line; hashed and marker lines are skipped. */
export class FileHostKeyStore implements HostKeyStore {
  readonly description: string;
  constructor(readonly file: string = defaultKnownHostsPath()) {
    this.description = file;
  }

  async lookup(id: string): Promise<string[]> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const out: string[] = [];
    for (const line of text.split("\n")) {
      const parts = line.trim().split(/\s+/);
      if (parts.length < 3 || line.startsWith("#") || line.startsWith("@") || line.startsWith("|")) continue;
      if ((parts[0] as string).split(",").includes(id)) out.push(`${parts[1]} ${parts[2]}`);
    }
    return out;
  }

  async record(id: string, key: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // O_APPEND writes of one short line are atomic, so concurrent processes do not interleave.
    await fs.promises.appendFile(this.file, `${id} ${normaliseKey(key)}\n`, { mode: 0o600 });
  }
}

export class MemoryHostKeyStore implements HostKeyStore {
  readonly description = "the in-memory host key store";
  readonly keys = new Map<string, string[]>();
  async lookup(id: string): Promise<string[]> {
    return this.keys.get(id) ?? [];
  }
  async record(id: string, key: string): Promise<void> {
    this.keys.set(id, [...(this.keys.get(id) ?? []), normaliseKey(key)]);
  }
}
