// The provider objects Pulumi serializes into state. Each method requires the provider code by
// package name when it runs, so the serialized text captures nothing else: no ssh2 client, no
// zod schema, no machine-specific path. The provider process resolves the package from the
// program's node_modules.
import * as pulumi from "@pulumi/pulumi";

type Provider = pulumi.dynamic.ResourceProvider;

export const clusterProvider: Provider = {
  configure: (req) => require("pulumi-glusterfs/dynamic").configure(req),
  check: (olds, news) => require("pulumi-glusterfs/dynamic").cluster.check(olds, news),
  diff: (id, olds, news) => require("pulumi-glusterfs/dynamic").cluster.diff(id, olds, news),
  create: (inputs) => require("pulumi-glusterfs/dynamic").cluster.create(inputs),
  read: (id, props) => require("pulumi-glusterfs/dynamic").cluster.read(id, props),
  update: (id, olds, news) => require("pulumi-glusterfs/dynamic").cluster.update(id, olds, news),
  delete: (id, props) => require("pulumi-glusterfs/dynamic").cluster.delete(id, props),
};

export const nodeProvider: Provider = {
  configure: (req) => require("pulumi-glusterfs/dynamic").configure(req),
  check: (olds, news) => require("pulumi-glusterfs/dynamic").node.check(olds, news),
  diff: (id, olds, news) => require("pulumi-glusterfs/dynamic").node.diff(id, olds, news),
  create: (inputs) => require("pulumi-glusterfs/dynamic").node.create(inputs),
  read: (id, props) => require("pulumi-glusterfs/dynamic").node.read(id, props),
  update: (id, olds, news) => require("pulumi-glusterfs/dynamic").node.update(id, olds, news),
  delete: (id, props) => require("pulumi-glusterfs/dynamic").node.delete(id, props),
};

export const deviceProvider: Provider = {
  configure: (req) => require("pulumi-glusterfs/dynamic").configure(req),
  check: (olds, news) => require("pulumi-glusterfs/dynamic").device.check(olds, news),
  diff: (id, olds, news) => require("pulumi-glusterfs/dynamic").device.diff(id, olds, news),
  create: (inputs) => require("pulumi-glusterfs/dynamic").device.create(inputs),
  read: (id, props) => require("pulumi-glusterfs/dynamic").device.read(id, props),
  update: (id, olds, news) => require("pulumi-glusterfs/dynamic").device.update(id, olds, news),
  delete: (id, props) => require("pulumi-glusterfs/dynamic").device.delete(id, props),
};

export const volumeProvider: Provider = {
  configure: (req) => require("pulumi-glusterfs/dynamic").configure(req),
  check: (olds, news) => require("pulumi-glusterfs/dynamic").volume.check(olds, news),
  diff: (id, olds, news) => require("pulumi-glusterfs/dynamic").volume.diff(id, olds, news),
  create: (inputs) => require("pulumi-glusterfs/dynamic").volume.create(inputs),
  read: (id, props) => require("pulumi-glusterfs/dynamic").volume.read(id, props),
  update: (id, olds, news) => require("pulumi-glusterfs/dynamic").volume.update(id, olds, news),
  delete: (id, props) => require("pulumi-glusterfs/dynamic").volume.delete(id, props),
};
