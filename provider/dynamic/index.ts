// Thin pulumi.dynamic.ResourceProvider adapters over the registry's resources, one per kind.
// No domain logic lives here. This module's exports (cluster, node, device, volume, clusterOptions, configure)
// are what the provider code serialized into every stack's state calls: keep them.
import * as pulumi from "@pulumi/pulumi";
import {
  type Handler,
  type Inputs,
  RESOURCE_KINDS,
  type ResourceKind,
  createDeps,
  handlersFor,
  registry,
} from "../resources";

/** One set of dependencies per provider process: its SSH pool, stack config and plans in flight. */
const deps = createDeps();
const handlers = handlersFor(deps);

/**
 * A dynamic provider cannot accept secrets: the engine hands it plain values and marks a
 * result secret only where the same property came in secret. State written before the SDK
 * sent `credentials` apart, or read back by refresh, would then keep them in the clear, so the
 * adapter marks the resource's secret inputs secret itself, in the form the engine reads from
 * any provider.
 */
function secretInputs(kind: ResourceKind, values: Inputs): Inputs {
  const out = { ...values };
  for (const key of registry[kind].secretInputs) {
    const value = values[key];
    if (value === undefined || typeof value !== "object" || value === null) continue;
    out[key] = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
  }
  return out;
}

function adapt(kind: ResourceKind, handler: Handler): pulumi.dynamic.ResourceProvider {
  const secret = (values: Inputs) => secretInputs(kind, values);
  return {
    check: async (olds: Inputs, news: Inputs) => {
      const r = await handler.check(olds, news);
      return r.inputs ? { ...r, inputs: secret(r.inputs) } : r;
    },
    diff: async (id: string, olds: Inputs, news: Inputs) => handler.diff(id, olds, news),
    create: async (inputs: Inputs) => {
      const r = await handler.create(inputs);
      return { id: r.id, outs: secret(r.outs) };
    },
    read: async (id: string, props?: Inputs) => {
      const r = await handler.read(id, props ?? {});
      return {
        ...r,
        ...(r.props ? { props: secret(r.props) } : {}),
        ...(r.inputs ? { inputs: secret(r.inputs) } : {}),
      };
    },
    update: async (id: string, olds: Inputs, news: Inputs) => {
      const r = await handler.update(id, olds, news);
      return { outs: secret(r.outs) };
    },
    delete: async (id: string, props: Inputs) => handler.delete(id, props),
  };
}

const providers = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, adapt(k, handlers[k])])) as Record<
  ResourceKind,
  pulumi.dynamic.ResourceProvider
>;

export const cluster = providers.cluster;
export const node = providers.node;
export const device = providers.device;
export const volume = providers.volume;
export const clusterOptions = providers.clusterOptions;

/** Stack config reaches the resources once per provider process: `glusterfs:privateKey` and friends. */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const read = (key: string) => req.config.get(`glusterfs:${key}`);
  deps.configure({
    privateKey: read("privateKey"),
    password: read("password"),
    privateKeyPassword: read("privateKeyPassword"),
    knownHostsFile: read("knownHostsFile"),
  });
}

export { RESOURCE_KINDS, type ResourceKind } from "./kinds";
