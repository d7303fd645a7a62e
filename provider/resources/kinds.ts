// The resources this package provides: the name the dynamic module exports each under, and its
// Pulumi type token. Kept free of imports, so the SDK's provider objects can be made from it
// without loading the handlers into the program's process.
export const RESOURCE_TYPES = {
  cluster: "GlusterCluster",
  node: "Node",
  device: "Device",
  volume: "Volume",
  clusterOptions: "ClusterOptions",
} as const;

export type ResourceKind = keyof typeof RESOURCE_TYPES;

export const RESOURCE_KINDS = Object.keys(RESOURCE_TYPES) as ResourceKind[];

/** The package's name in type tokens (`glusterfs:index:Volume`) and in config keys (`glusterfs:privateKey`). */
export const PACKAGE = "glusterfs";

export function tokenOf(kind: ResourceKind): string {
  return `${PACKAGE}:index:${RESOURCE_TYPES[kind]}`;
}
