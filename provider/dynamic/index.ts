// Thin pulumi.dynamic.ResourceProvider adapters over the resource handlers. One table maps
// each resource to its handler; no domain logic lives here.
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIALS, configureFromStack, handlers, withCredentials, type Handler } from "../resources";

type Inputs = Record<string, unknown>;

/**
 * A dynamic provider cannot accept secrets: the engine hands it plain values and marks a
 * result secret only where the same property came in secret. State written before the SDK
 * sent `credentials` apart, or read back by refresh, would then keep them in the clear, so the
 * adapter marks them secret itself, in the form the engine reads from any provider.
 */
function secretCredentials(values: Inputs): Inputs {
  const value = values[CREDENTIALS];
  if (value === undefined || typeof value !== "object" || value === null) return values;
  return {
    ...values,
    [CREDENTIALS]: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value },
  };
}

function adapt(plain: Handler): pulumi.dynamic.ResourceProvider {
  const handler = withCredentials(plain);
  return {
    check: async (olds: Inputs, news: Inputs) => {
      const r = await handler.check(olds, news);
      return r.inputs ? { ...r, inputs: secretCredentials(r.inputs) } : r;
    },
    diff: async (id: string, olds: Inputs, news: Inputs) => handler.diff(id, olds, news),
    create: async (inputs: Inputs) => {
      const r = await handler.create(inputs);
      return { id: r.id, outs: secretCredentials(r.outs) };
    },
    read: async (id: string, props?: Inputs) => {
      const r = await handler.read(id, props ?? {});
      return {
        ...r,
        ...(r.props ? { props: secretCredentials(r.props) } : {}),
        ...(r.inputs ? { inputs: secretCredentials(r.inputs) } : {}),
      };
    },
    update: async (id: string, olds: Inputs, news: Inputs) => {
      const r = await handler.update(id, olds, news);
      return { outs: secretCredentials(r.outs) };
    },
    delete: async (id: string, props: Inputs) => handler.delete(id, props),
  };
}

export const cluster = adapt(handlers.cluster);
export const node = adapt(handlers.node);
export const device = adapt(handlers.device);
export const volume = adapt(handlers.volume);

/** Stack config reaches the handlers once per provider process: `glusterfs:privateKey` and friends. */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const read = (key: string) => req.config.get(`glusterfs:${key}`);
  configureFromStack({
    privateKey: read("privateKey"),
    password: read("password"),
    privateKeyPassword: read("privateKeyPassword"),
    knownHostsFile: read("knownHostsFile"),
  });
}
