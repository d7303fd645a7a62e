// Thin pulumi.dynamic.ResourceProvider adapters over the resource handlers. One table maps
// each resource to its handler; no domain logic lives here.
import * as pulumi from "@pulumi/pulumi";
import { configureFromStack, handlers, type Handler } from "../resources";

type Inputs = Record<string, unknown>;

function adapt(handler: Handler): pulumi.dynamic.ResourceProvider {
  return {
    check: async (olds: Inputs, news: Inputs) => handler.check(olds, news),
    diff: async (id: string, olds: Inputs, news: Inputs) => handler.diff(id, olds, news),
    create: async (inputs: Inputs) => handler.create(inputs),
    read: async (id: string, props?: Inputs) => handler.read(id, props ?? {}),
    update: async (id: string, olds: Inputs, news: Inputs) => handler.update(id, olds, news),
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
