import * as pulumi from "@pulumi/pulumi";
import { type NodeAccess, credentialsFor, withSecretCredentials } from "./connection";
import { clusterOptionsProvider } from "./providers";

/** What the settings need of a node (a Node; declared here so this file does not import cluster.ts). */
export interface OptionsMember extends pulumi.Resource {
  readonly given: { manageAddress: pulumi.Input<string>; storageAddress: pulumi.Input<string> };
  readonly access: NodeAccess;
}

export interface ClusterOptionsArgs {
  /** Id of the cluster the settings belong to. */
  clusterId: pulumi.Input<string>;
  /** Cluster-wide Gluster options by full name (`gluster volume set all KEY VALUE`). */
  options: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The cluster's nodes, once the program has declared them all. */
  members: Promise<OptionsMember[]>;
}

/**
 * The cluster-wide settings of a GlusterCluster, made by the GlusterCluster from its `options`.
 * The settings live on the pool's nodes, so this resource depends on every node of the cluster:
 * it is applied once they have joined and reset before they leave.
 */
export class ClusterOptions extends pulumi.dynamic.Resource {
  public readonly options!: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ClusterOptionsArgs, opts: pulumi.CustomResourceOptions = {}) {
    const members = args.members.then((nodes) =>
      nodes.map((n) => ({
        manageAddress: n.given.manageAddress,
        storageAddress: n.given.storageAddress,
        connection: n.access.plain,
      })),
    );
    // Any node may be the one that answers: the secrets given in the program for each travel
    // with this resource in one secret input, as for a Volume.
    const credentials = args.members.then((nodes) =>
      credentialsFor(nodes.map((n) => ({ manageAddress: n.given.manageAddress, access: n.access }))),
    );
    const dependsOn: Promise<pulumi.Resource[]> = args.members.then((nodes) => [...nodes]);
    super(
      clusterOptionsProvider,
      name,
      { clusterId: args.clusterId, options: args.options, members, credentials },
      withSecretCredentials({ ...opts, dependsOn }),
      "glusterfs",
      "ClusterOptions",
    );
  }
}
