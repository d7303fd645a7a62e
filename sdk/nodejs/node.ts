import * as pulumi from "@pulumi/pulumi";
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
  /** Hostname or address used to manage the node over SSH. */
  manageAddress: string;
  /** Hostname or address Gluster uses for peering and bricks. Default: the manage address. */
  storageAddress?: string;
  /** Failure domain. Default 1. */
  zone?: number;
  /** Node tags, e.g. `{ arbiter: "required" }`. */
  tags?: Record<string, string>;
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
  public readonly manageAddress: string;
  public readonly storageAddress: string;
  public readonly zone: number;
  public readonly tags: Record<string, string>;
  /** The node's whole SSH connection (a secret when it holds a password or key). */
  public readonly connection: pulumi.Output<ConnectionArgs>;
  /** @internal The connection split into what the engine may show and what it must keep secret. */
  public readonly access: NodeAccess;
  public readonly devices: MemberDevice[] = [];

  constructor(name: string, args: NodeArgs, opts: pulumi.CustomResourceOptions = {}) {
    const cluster = args.cluster;
    const earlier = [...cluster.nodes];
    const access = nodeAccess(cluster.policy.connection, args.connection, args.manageAddress);
    const storageAddress = args.storageAddress ?? args.manageAddress;
    // The node dials itself and, to join the pool, a node declared before it: it carries the
    // secrets of those nodes only, in one secret input.
    const credentials = credentialsFor([{ manageAddress: args.manageAddress, access }, ...earlier]);
    super(
      nodeProvider,
      name,
      {
        clusterId: cluster.name,
        manageAddress: args.manageAddress,
        storageAddress,
        zone: args.zone ?? 1,
        tags: args.tags ?? {},
        connection: access.plain,
        members: earlier.map((n) => ({
          manageAddress: n.manageAddress,
          storageAddress: n.storageAddress,
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
    this.manageAddress = args.manageAddress;
    this.storageAddress = storageAddress;
    this.zone = args.zone ?? 1;
    this.tags = args.tags ?? {};
    this.connection = access.full;
    this.access = access;
    cluster.nodes.push(this);
  }
}

export function mergeDependsOn(
  given: pulumi.CustomResourceOptions["dependsOn"],
  more: pulumi.Resource[],
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  if (given === undefined) return more;
  return pulumi.output(given).apply((g) => [...(Array.isArray(g) ? g : [g]), ...more]);
}
