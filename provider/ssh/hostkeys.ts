// Host key checks: a pinned key when the connection gives one; otherwise trust on first use,
// recorded in a known_hosts-style file (or a caller-provided store) and enforced afterwards.
import { createHash, createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HOST_KEY_FORM, parseHostKey } from "../core/hostkey";

export interface HostKeyStore {
  /** Keys recorded for this known_hosts id ("host" or "[host]:port"), as "type base64". */
  lookup(id: string): Promise<string[]>;
  /**
   * Trust on first use, atomically: records `key` for `id` only when no key is recorded for it
   * yet (checked again under the store's lock, so concurrent first dials, in this process or
   * another, record one line). Returns the keys recorded for `id` afterwards, and whether this
   * call recorded one; the caller compares what the server presented with them.
   */
  recordFirstUse(id: string, key: string): Promise<{ keys: string[]; recorded: boolean }>;
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
  const parsed = parseHostKey(key);
  if (!parsed.ok) throw new Error(`host key must look like ${HOST_KEY_FORM}: ${parsed.error}`);
  return parsed.key;
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

/** Whether a known_hosts host field ("a,b", "[a]:2222" or a hashed "|1|salt|hash") names `id`. */
function namesHost(field: string, id: string): boolean {
  return field.split(",").some((name) => {
    if (!name.startsWith("|1|")) return name === id;
    const [, , salt, hash] = name.split("|");
    if (!salt || !hash) return false;
    return createHmac("sha1", Buffer.from(salt, "base64")).update(id).digest("base64") === hash;
  });
}

/** The keys a known_hosts text holds for `id`; marker (@cert-authority, @revoked) and malformed lines are skipped. */
function keysIn(text: string, id: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("@")) continue;
    const [hosts, ...rest] = trimmed.split(/\s+/);
    if (!hosts || !namesHost(hosts, id)) continue;
    const parsed = parseHostKey(rest.join(" "));
    if (parsed.ok && !out.includes(parsed.key)) out.push(parsed.key);
  }
  return out;
}

/** A lock older than this was left by a process that died (the locked work takes milliseconds). */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 60_000;
/** Per file, the tail of this process's queue of lock holders. */
const queues = new Map<string, Promise<void>>();

/**
 * Runs `f` holding the file's lock: first this process's queue for the file, then a lock file
 * created with O_EXCL next to it, which other processes (another stack's provider) honour too.
 */
export async function withFileLock<T>(file: string, f: () => Promise<T>): Promise<T> {
  const before = queues.get(file) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = before.then(() => mine);
  queues.set(file, tail);
  await before;
  try {
    return await withLockFile(`${file}.lock`, f);
  } finally {
    done();
    if (queues.get(file) === tail) queues.delete(file);
  }
}

async function withLockFile<T>(lock: string, f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    try {
      const handle = await fs.promises.open(lock, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const age = await fs.promises.stat(lock).then(
      (st) => Date.now() - st.mtimeMs,
      () => 0, // released meanwhile: try again
    );
    if (age > STALE_LOCK_MS) {
      await fs.promises.rm(lock, { force: true });
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS)
      throw new Error(
        `could not take the lock ${lock} within ${LOCK_WAIT_MS / 1000} s; ` +
          "if no other pulumi-glusterfs process is running, remove that file",
      );
    await new Promise((r) => setTimeout(r, pause));
  }
  try {
    return await f();
  } finally {
    await fs.promises.rm(lock, { force: true });
  }
}

/** known_hosts file: "id type base64" per line, OpenSSH's format (hashed host names are read too). */
export class FileHostKeyStore implements HostKeyStore {
  readonly description: string;
  constructor(readonly file: string = defaultKnownHostsPath()) {
    this.description = file;
  }

  private async read(): Promise<string> {
    try {
      return await fs.promises.readFile(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw e;
    }
  }

  async lookup(id: string): Promise<string[]> {
    return keysIn(await this.read(), id);
  }

  async recordFirstUse(id: string, key: string): Promise<{ keys: string[]; recorded: boolean }> {
    const line = `${id} ${normaliseKey(key)}\n`;
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    return withFileLock(this.file, async () => {
      const text = await this.read();
      const known = keysIn(text, id);
      if (known.length > 0) return { keys: known, recorded: false };
      const handle = await fs.promises.open(this.file, "a", 0o600);
      try {
        // A file whose last line lacks its newline (edited by hand) must not swallow ours.
        await handle.write(text !== "" && !text.endsWith("\n") ? `\n${line}` : line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { keys: [normaliseKey(key)], recorded: true };
    });
  }
}

export class MemoryHostKeyStore implements HostKeyStore {
  readonly description = "the in-memory host key store";
  readonly keys = new Map<string, string[]>();
  async lookup(id: string): Promise<string[]> {
    return this.keys.get(id) ?? [];
  }
  async recordFirstUse(id: string, key: string): Promise<{ keys: string[]; recorded: boolean }> {
    const known = this.keys.get(id);
    if (known && known.length > 0) return { keys: known, recorded: false };
    this.keys.set(id, [normaliseKey(key)]);
    return { keys: [normaliseKey(key)], recorded: true };
  }
}
