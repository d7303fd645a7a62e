// The provider objects Pulumi serializes into state, one per resource kind of the registry. Each
// method requires the provider code by package name when it runs, so the serialized text
// captures nothing but the kind's name: no ssh2 client, no zod schema, no machine-specific
// path. The provider process resolves the package from the program's node_modules.
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_KINDS, type ResourceKind } from "../../provider/dynamic/kinds";

type Provider = pulumi.dynamic.ResourceProvider;

function providerOf(kind: ResourceKind): Provider {
  return {
    configure: (req) => require("pulumi-glusterfs/dynamic").configure(req),
    check: (olds, news) => require("pulumi-glusterfs/dynamic")[kind].check(olds, news),
    diff: (id, olds, news) => require("pulumi-glusterfs/dynamic")[kind].diff(id, olds, news),
    create: (inputs) => require("pulumi-glusterfs/dynamic")[kind].create(inputs),
    read: (id, props) => require("pulumi-glusterfs/dynamic")[kind].read(id, props),
    update: (id, olds, news) => require("pulumi-glusterfs/dynamic")[kind].update(id, olds, news),
    delete: (id, props) => require("pulumi-glusterfs/dynamic")[kind].delete(id, props),
  };
}

/** The provider object of every resource kind. */
export const providers = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, providerOf(k)])) as Record<
  ResourceKind,
  Provider
>;

export const clusterProvider = providers.cluster;
export const nodeProvider = providers.node;
export const deviceProvider = providers.device;
export const volumeProvider = providers.volume;
export const clusterOptionsProvider = providers.clusterOptions;
