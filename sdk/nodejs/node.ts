import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../provider/core/defaults";
import { type ClusterMember, GlusterCluster, type MemberDevice } from "./cluster";
import {
  ConnectionArgs,
  type NodeAccess,
  credentialsFor,
  nodeAccess,
  withSecretCredentials,
} from "./connection";
import { nodeProvider } from "./providers";

export interface NodeArgs {
  /** The cluster the node joins. */
  cluster: GlusterCluster;
  /** Hostname or address used to manage the node over SSH (e.g. another resource's output: a VM's address). */
  manageAddress: pulumi.Input<string>;
  /** Hostname or address Gluster uses for peering and bricks. Default: the manage address. */
  storageAddress?: pulumi.Input<string>;
  /** Failure domain. Default 1. */
  zone?: pulumi.Input<number>;
  /** Node tags, e.g. `{ arbiter: "required" }`. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** SSH connection overrides for this node. */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * A storage node. Creating it checks glusterd and probes it into the pool from a node declared
 * before it; deleting it detaches the peer (refused while it holds bricks).
 */
export class Node extends pulumi.dynamic.Resource implements ClusterMember {
  public readonly peerUuid!: pulumi.Output<string>;
  public readonly peerState!: pulumi.Output<string>;

  public readonly cluster: GlusterCluster;
  public readonly manageAddress!: pulumi.Output<string>;
  public readonly storageAddress!: pulumi.Output<string>;
  public readonly zone!: pulumi.Output<number>;
  public readonly tags!: pulumi.Output<Record<string, string>>;
  /** The node's whole SSH connection (a secret when it holds a password or key). */
  public readonly connection: pulumi.Output<ConnectionArgs>;
  /** @internal The connection split into what the engine may show and what it must keep secret. */
  public readonly access: NodeAccess;
  /** @internal The node as the program gave it (inputs, possibly other resources' outputs). */
  public readonly given: ClusterMember["given"];
  /** @internal The node's devices, in declaration order. */
  public readonly devices: MemberDevice[] = [];

  constructor(name: string, args: NodeArgs, opts: pulumi.CustomResourceOptions = {}) {
    const cluster = args.cluster;
    cluster.admit(`node ${name}`);
    const earlier = [...cluster.nodes];
    const access = nodeAccess(cluster.policy.connection, args.connection, args.manageAddress);
    // The node dials itself and, to join the pool, a node declared before it: it carries the
    // secrets of those nodes only, in one secret input.
    const credentials = credentialsFor([
      { manageAddress: args.manageAddress, access },
      ...earlier.map((n) => ({ manageAddress: n.given.manageAddress, access: n.access })),
    ]);
    // Where no storage address is given, it is the manage address.
    const given = {
      manageAddress: args.manageAddress,
      storageAddress: args.storageAddress ?? args.manageAddress,
      zone: args.zone ?? DEFAULTS.zone,
      tags: args.tags ?? {},
    };
    super(
      nodeProvider,
      name,
      {
        clusterId: cluster.idInput,
        ...given,
        connection: access.plain,
        members: earlier.map((n) => ({
          manageAddress: n.given.manageAddress,
          storageAddress: n.given.storageAddress,
          connection: n.access.plain,
        })),
        ...(credentials ? { credentials } : {}),
        peerUuid: undefined,
        peerState: undefined,
      },
      withSecretCredentials({ ...opts, dependsOn: mergeDependsOn(opts.dependsOn, [cluster, ...earlier]) }),
      "glusterfs",
      "Node",
    );
    this.cluster = cluster;
    this.given = given;
    this.connection = access.full;
    this.access = access;
    cluster.nodes.push(this);
  }
}

export function mergeDependsOn(
  given: pulumi.CustomResourceOptions["dependsOn"],
  more: pulumi.Input<pulumi.Input<pulumi.Resource>[]>,
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  if (given === undefined) return more;
  return pulumi
    .all([pulumi.output(given), pulumi.output(more)])
    .apply(([g, m]) => [...(Array.isArray(g) ? g : [g]), ...m]);
}
