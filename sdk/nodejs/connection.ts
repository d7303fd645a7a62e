import * as pulumi from "@pulumi/pulumi";
import { connectionSecretFields } from "../../provider/core/model";

/** How to reach a node over SSH; the fields follow pulumi-command's `connection`. */
export interface ConnectionArgs {
  /** Address to reach the node over SSH. Defaults to the node's manage address. */
  host?: pulumi.Input<string>;
  /** SSH port. Default 22. */
  port?: pulumi.Input<number>;
  /** SSH user. Default root. */
  user?: pulumi.Input<string>;
  /** Password for password authentication. Stored only as a Pulumi secret. */
  password?: pulumi.Input<string>;
  /** Private key in OpenSSH or PEM format (or stack config `glusterfs:privateKey`). Stored only as a Pulumi secret. */
  privateKey?: pulumi.Input<string>;
  /**
   * Path of a private key file on the machine that runs pulumi, read when the provider dials. Only
   * the path is stored, so no resource's state holds the key.
   */
  privateKeyPath?: pulumi.Input<string>;
  /** Passphrase of an encrypted private key. Stored only as a Pulumi secret. */
  privateKeyPassword?: pulumi.Input<string>;
  /** Path of an ssh-agent socket. */
  agentSocketPath?: pulumi.Input<string>;
  /** Connection attempts before failing. Default 10. */
  dialErrorLimit?: pulumi.Input<number>;
  /** Seconds to wait for one connection attempt. Default 15. */
  perDialTimeout?: pulumi.Input<number>;
  /** Pinned host key as known_hosts has it, e.g. `ssh-ed25519 AAAA...`. */
  hostKey?: pulumi.Input<string>;
  /** Run remote scripts through `sudo -n`. */
  sudo?: pulumi.Input<boolean>;
  /** A jump host. */
  proxy?: pulumi.Input<ConnectionArgs & { host: pulumi.Input<string> }>;
}

/** The secret fields of one node's connection and of its jump host. */
export interface ConnectionSecrets {
  password?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  proxy?: { password?: string; privateKey?: string; privateKeyPassword?: string };
}

/**
 * A node's connection as the engine sees it. The plain fields (host, port, user, hostKey, sudo,
 * timeouts, the jump host's address) stay readable in `preview --diff`; the password, key and
 * passphrase travel apart, in the one secret `credentials` input of each resource that dials.
 */
export interface NodeAccess {
  /** The whole connection, for the program (a secret when it holds any secret field). */
  readonly full: pulumi.Output<ConnectionArgs>;
  /** The connection without its secret fields. */
  readonly plain: pulumi.Input<Record<string, unknown>>;
  /** The secret fields, or undefined when the program gave none (stack config needs none). */
  readonly secrets: pulumi.Output<ConnectionSecrets> | undefined;
}

type Fields = Record<string, pulumi.Input<unknown> | undefined>;
const SECRET_FIELDS: readonly string[] = connectionSecretFields;

/** A plain object whose fields may be Inputs, as opposed to an Output or a promise of the whole. */
function isFieldwise(value: unknown): value is Fields {
  return (
    typeof value === "object" &&
    value !== null &&
    !pulumi.Output.isInstance(value) &&
    typeof (value as { then?: unknown }).then !== "function"
  );
}

/** The override's field where it gives one, else the base's (decided after resolution when it must be). */
function pick(base: pulumi.Input<unknown> | undefined, override: pulumi.Input<unknown> | undefined) {
  if (override === undefined) return base;
  if (base === undefined || !(pulumi.Output.isInstance(override) || override instanceof Promise))
    return override;
  return pulumi.all([override, base]).apply(([o, b]) => o ?? b);
}

function defined(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function split(fields: Fields): { plain: Fields; secret: Fields } {
  const plain: Fields = {};
  const secret: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    (SECRET_FIELDS.includes(key) ? secret : plain)[key] = value;
  }
  return { plain, secret };
}

/** Drops fields and nested objects that resolved to nothing, so an empty secret is no secret at all. */
function compact(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === "") continue;
    if (typeof v === "object" && !Array.isArray(v)) {
      const inner = compact(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = v;
  }
  return out;
}

/** Splits resolved connection values (the path taken when the program handed over a whole Output). */
function splitResolved(c: Record<string, unknown>): {
  plain: Record<string, unknown>;
  secrets: ConnectionSecrets;
} {
  const { plain, secret } = split(c as Fields);
  const proxy = c.proxy && typeof c.proxy === "object" ? split(c.proxy as Fields) : undefined;
  return {
    plain: compact({ ...plain, proxy: proxy?.plain }),
    secrets: compact({ ...secret, proxy: proxy?.secret }) as ConnectionSecrets,
  };
}

/**
 * A node's connection: the cluster's default overlaid field by field by the node's own, with
 * the node's manage address as the host unless one is given, split into plain and secret parts.
 */
export function nodeAccess(
  base: pulumi.Input<ConnectionArgs> | undefined,
  override: pulumi.Input<ConnectionArgs> | undefined,
  manageAddress: pulumi.Input<string>,
): NodeAccess {
  const b = base ?? {};
  const o = override ?? {};
  if (!isFieldwise(b) || !isFieldwise(o)) {
    // A whole connection given as an Output or promise: split it once resolved. The plain part
    // then keeps whatever secrecy the program gave the whole.
    const merged = pulumi
      .all([b, o, manageAddress])
      .apply(([rb, ro, host]) => ({ host, ...defined(rb), ...defined(ro) }));
    const parts = merged.apply((m) => splitResolved(m as Record<string, unknown>));
    return {
      full: pulumi.secret(merged) as pulumi.Output<ConnectionArgs>,
      plain: parts.apply((p) => p.plain),
      secrets: pulumi.secret(parts.apply((p) => p.secrets)),
    };
  }
  const keys = new Set([...Object.keys(b), ...Object.keys(o)]);
  const merged: Fields = { host: manageAddress };
  for (const key of keys) {
    const value = pick(b[key], o[key]);
    if (value !== undefined) merged[key] = value;
  }

  const { plain, secret } = split(merged);
  const proxy = merged.proxy;
  let proxySecret: pulumi.Input<unknown> | undefined;
  if (proxy !== undefined) {
    if (isFieldwise(proxy)) {
      const parts = split(proxy);
      plain.proxy = parts.plain;
      if (Object.keys(parts.secret).length > 0) proxySecret = parts.secret;
    } else {
      const parts = pulumi.output(proxy).apply((p) => splitResolved((p ?? {}) as Record<string, unknown>));
      plain.proxy = parts.apply((p) => p.plain);
      proxySecret = parts.apply((p) => p.secrets);
    }
  }
  const hasSecrets = Object.keys(secret).length > 0 || proxySecret !== undefined;
  const secrets = hasSecrets
    ? pulumi
        .secret(pulumi.output({ ...secret, proxy: proxySecret }))
        .apply((s) => compact(s as Record<string, unknown>) as ConnectionSecrets)
    : undefined;
  const full = pulumi.output(merged) as pulumi.Output<ConnectionArgs>;
  return { full: hasSecrets ? pulumi.secret(full) : full, plain, secrets };
}

/**
 * The one secret input of a resource that dials: the secret fields of each node it reaches,
 * keyed by manage address (which may be an output of another resource). Undefined when none of
 * them has any.
 */
export function credentialsFor(
  nodes: readonly { manageAddress: pulumi.Input<string>; access: NodeAccess }[],
): pulumi.Output<Record<string, ConnectionSecrets>> | undefined {
  const given = nodes.filter((n) => n.access.secrets !== undefined);
  if (given.length === 0) return undefined;
  const pairs = pulumi.all(given.map((n) => pulumi.all([n.manageAddress, n.access.secrets!])));
  return pulumi.secret(
    pairs.apply((list) => compact(Object.fromEntries(list)) as Record<string, ConnectionSecrets>),
  );
}

/** Resource options that keep `credentials` secret in the outputs too (state, refresh, import). */
export function withSecretCredentials<T extends pulumi.CustomResourceOptions>(opts: T): T {
  const extra = opts.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...extra.filter((k) => k !== "credentials"), "credentials"] };
}
