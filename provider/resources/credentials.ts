// Credentials travel apart from the rest of a connection. The SDK sends the secret fields of
// every node a resource dials in one input, `credentials` (a Pulumi secret, keyed by manage
// address), and keeps `connection`, `members[].connection` and `topology[].connection` free of
// them, so `preview --diff` stays readable and the state holds each secret only inside that
// one secret value. Handlers see whole connections (`openCredentials`); what goes back to the
// engine has every secret field moved out again (`sealCredentials`), whatever the handler did.
import { z } from "zod";
import { connectionSecretFields } from "../core/model";
import { redact } from "../ssh";
import type { StackDefaults } from "./deps";
import { type Handler, type Inputs, sameValue, secretValuesOf } from "./handler";

export const CREDENTIALS = "credentials";

const secretFields = z.object({
  password: z.string().optional(),
  privateKey: z.string().optional(),
  privateKeyPassword: z.string().optional(),
});
/** The secret fields of one node's connection (and of its proxy), as the SDK sends them. */
export const nodeCredentialsSchema = secretFields.extend({ proxy: secretFields.optional() });
/** The `credentials` input: each dialled node's secret fields, by manage address. */
export const credentialsSchema = z.record(z.string(), nodeCredentialsSchema);
export const CREDENTIALS_DOC =
  "The secret fields (password, privateKey, privateKeyPassword) of every connection this resource dials, " +
  "by manage address (filled in by the SDK). Stored as a secret; the connections themselves carry none.";

type Obj = Record<string, unknown>;
const SECRET_FIELDS: readonly string[] = connectionSecretFields;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every connection in a resource's inputs, with the manage address of the node it reaches. */
function connectionHolders(inputs: Obj): { address: string; holder: Obj }[] {
  const out: { address: string; holder: Obj }[] = [];
  const own = inputs.manageAddress ?? inputs.node; // a Node, or a Device's node
  if (typeof own === "string" && isObject(inputs.connection)) out.push({ address: own, holder: inputs });
  for (const list of [inputs.members, inputs.topology]) {
    if (!Array.isArray(list)) continue;
    for (const item of list)
      if (isObject(item) && typeof item.manageAddress === "string" && isObject(item.connection))
        out.push({ address: item.manageAddress, holder: item });
  }
  return out;
}

function take(fields: Obj): Obj {
  const taken: Obj = {};
  for (const key of SECRET_FIELDS) {
    if (fields[key] !== undefined) taken[key] = fields[key];
    delete fields[key];
  }
  return taken;
}

/** Handler's view: each connection with its node's secrets filled in, and no `credentials` input. */
export function openCredentials(inputs: Inputs): Inputs {
  const open = structuredClone(inputs) as Obj;
  const credentials = open[CREDENTIALS];
  // Unknown during preview (or malformed): leave it where the handler sees it, merge nothing.
  if (!isObject(credentials)) return open;
  delete open[CREDENTIALS];
  for (const { address, holder } of connectionHolders(open)) {
    const secrets = credentials[address];
    if (!isObject(secrets)) continue;
    const connection = holder.connection as Obj;
    for (const key of SECRET_FIELDS) if (secrets[key] !== undefined) connection[key] = secrets[key];
    if (isObject(secrets.proxy) && isObject(connection.proxy)) {
      for (const key of SECRET_FIELDS)
        if (secrets.proxy[key] !== undefined) connection.proxy[key] = secrets.proxy[key];
    }
  }
  return open;
}

/**
 * The engine's view: no secret field left in any connection; all of them (also any a state
 * written before this split held in the clear) gathered into `credentials`, absent when empty.
 */
export function sealCredentials(values: Inputs): Inputs {
  const sealed = structuredClone(values) as Obj;
  const given = sealed[CREDENTIALS];
  const gathered: Obj = isObject(given) ? given : {};
  for (const { address, holder } of connectionHolders(sealed)) {
    const connection = holder.connection as Obj;
    const own = take(connection);
    const proxy = isObject(connection.proxy) ? take(connection.proxy) : {};
    if (Object.keys(proxy).length > 0) own.proxy = proxy;
    if (Object.keys(own).length > 0) {
      const before = isObject(gathered[address]) ? (gathered[address] as Obj) : {};
      gathered[address] = { ...own, ...before }; // credentials given apart are the newer
    }
  }
  if (given !== undefined && !isObject(given)) return sealed; // unknown: keep it as it is
  if (Object.keys(gathered).length > 0) sealed[CREDENTIALS] = gathered;
  else delete sealed[CREDENTIALS];
  return sealed;
}

/** True when old state kept a secret inside a connection: the next update moves it out. */
export function hasInlineSecrets(values: Inputs): boolean {
  return connectionHolders(values as Obj).some(({ holder }) => {
    const connection = holder.connection as Obj;
    const proxy = isObject(connection.proxy) ? connection.proxy : {};
    return SECRET_FIELDS.some((k) => connection[k] !== undefined || proxy[k] !== undefined);
  });
}

/** An error whose message and stack name no secret of these values. */
export function redactError(err: unknown, secrets: string[]): unknown {
  if (!(err instanceof Error)) return new Error(redact(String(err), secrets));
  err.message = redact(err.message, secrets);
  if (err.stack) err.stack = redact(err.stack, secrets);
  return err;
}

/**
 * The handler as the engine must meet it: inputs opened before every call, every result sealed,
 * every error and check failure redacted. A credential change (or old state that kept a secret
 * in the clear) is an update, so the state always holds the secrets the next destroy needs.
 */
export function withCredentials(handler: Handler, stack: () => StackDefaults): Handler {
  const guard = async <T>(values: (Inputs | undefined)[], f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      // The stack's default credentials (glusterfs:password and friends) are never echoed either.
      const { knownHostsFile: _file, ...stackSecrets } = stack();
      throw redactError(err, secretValuesOf(...values, { credentials: stackSecrets }));
    }
  };
  return {
    check: (olds, news) =>
      guard([olds, news], async () => {
        const r = await handler.check(openCredentials(olds), openCredentials(news));
        const { knownHostsFile: _file, ...stackSecrets } = stack();
        const secrets = secretValuesOf(olds, news, { credentials: stackSecrets });
        return {
          ...(r.inputs ? { inputs: sealCredentials(r.inputs) } : {}),
          ...(r.failures
            ? {
                failures: r.failures.map((f) => ({
                  property: f.property,
                  reason: redact(f.reason, secrets),
                })),
              }
            : {}),
        };
      }),
    diff: (id, olds, news) =>
      guard([olds, news], async () => {
        const r = await handler.diff(id, openCredentials(olds), openCredentials(news));
        if (r.changes !== false) return r;
        const rotated = !sameValue(sealCredentials(olds)[CREDENTIALS], sealCredentials(news)[CREDENTIALS]);
        return rotated || hasInlineSecrets(olds) ? { ...r, changes: true } : r;
      }),
    create: (inputs) =>
      guard([inputs], async () => {
        const r = await handler.create(openCredentials(inputs));
        return { id: r.id, outs: sealCredentials(r.outs) };
      }),
    read: (id, props) =>
      guard([props], async () => {
        const r = await handler.read(id, openCredentials(props));
        return {
          ...r,
          ...(r.props ? { props: sealCredentials(r.props) } : {}),
          ...(r.inputs ? { inputs: sealCredentials(r.inputs) } : {}),
        };
      }),
    update: (id, olds, news) =>
      guard([olds, news], async () => {
        const r = await handler.update(id, openCredentials(olds), openCredentials(news));
        return { outs: sealCredentials(r.outs) };
      }),
    delete: (id, props) => guard([props], () => handler.delete(id, openCredentials(props))),
  };
}
