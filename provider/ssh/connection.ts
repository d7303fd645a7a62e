import { createHash } from "node:crypto";

// The connection fields, named as pulumi-command names them, plus `sudo`. An optional field may
// also hold `undefined` (it means the same as absent): callers pass the model's zod-parsed
// connections, whose optional fields are typed that way.

export interface SshProxy {
  host: string;
  /** Default 22. */
  port?: number | undefined;
  /** Default "root". */
  user?: string | undefined;
  password?: string | undefined;
  /** PEM/OpenSSH private key text (not a path). Takes preference over password. */
  privateKey?: string | undefined;
  privateKeyPassword?: string | undefined;
  /** Defaults to $SSH_AUTH_SOCK. */
  agentSocketPath?: string | undefined;
  /** Dial attempts before giving up; default 10, -1 unlimited. */
  dialErrorLimit?: number | undefined;
  /** Seconds per dial attempt (TCP + handshake + auth); default 15, 0 no limit. */
  perDialTimeout?: number | undefined;
  /** Pinned host key as known_hosts has it: "ssh-ed25519 AAAA...". */
  hostKey?: string | undefined;
}

export interface SshConnection extends SshProxy {
  /** Bastion reached first; the node is dialled through it (direct-tcpip). */
  proxy?: SshProxy | undefined;
  /** Run scripts through `sudo -n` (non-root users with passwordless sudo). */
  sudo?: boolean | undefined;
}

export interface ResolvedConnection {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  privateKey: string | undefined;
  privateKeyPassword: string | undefined;
  agentSocketPath: string | undefined;
  dialErrorLimit: number;
  perDialTimeoutMs: number;
  hostKey: string | undefined;
  sudo: boolean;
  proxy: ResolvedConnection | undefined;
}

export function resolveConnection(
  c: SshConnection | SshProxy,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConnection {
  if (!c || typeof c.host !== "string" || c.host === "") throw new Error("connection: host is required");
  const port = c.port ?? 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`connection ${c.host}: invalid port`);
  const limit = c.dialErrorLimit ?? 10;
  const perDial = c.perDialTimeout ?? 15;
  return {
    host: c.host,
    port,
    user: c.user ?? "root",
    password: c.password,
    privateKey: c.privateKey,
    privateKeyPassword: c.privateKeyPassword,
    agentSocketPath: c.agentSocketPath ?? env.SSH_AUTH_SOCK,
    dialErrorLimit: limit < 0 ? Number.POSITIVE_INFINITY : Math.max(1, limit),
    perDialTimeoutMs: perDial <= 0 ? 0 : perDial * 1000,
    hostKey: c.hostKey?.trim() || undefined,
    sudo: "sudo" in c ? Boolean(c.sudo) : false,
    proxy: "proxy" in c && c.proxy ? resolveConnection(c.proxy, env) : undefined,
  };
}

/**
 * How the pool keys connections: one per user@host:port, per proxy chain. A digest of the
 * credentials and pinned key is part of the key, so a caller with other credentials never
 * rides on a connection someone else authenticated.
 */
export function connectionKey(c: ResolvedConnection): string {
  const id = createHash("sha256")
    .update(
      [c.password, c.privateKey, c.privateKeyPassword, c.agentSocketPath, c.hostKey]
        .map((x) => x ?? "")
        .join("\0"),
    )
    .digest("hex")
    .slice(0, 12);
  const self = `${c.user}@${c.host}:${c.port}#${id}`;
  return c.proxy ? `${connectionKey(c.proxy)}>${self}` : self;
}

/** The host as known_hosts names it: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsId(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function secretsOf(c: ResolvedConnection | undefined): string[] {
  if (!c) return [];
  return [c.password, c.privateKey, c.privateKeyPassword, ...secretsOf(c.proxy)].filter(
    (s): s is string => typeof s === "string" && s !== "",
  );
}
