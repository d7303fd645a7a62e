import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, type NodeAccess } from "./connection";
import { clusterProvider } from "./providers";

/** What a volume needs to know of a node of its cluster (implemented by Node). */
export interface ClusterMember extends pulumi.Resource {
  readonly manageAddress: string;
  readonly storageAddress: string;
  readonly zone: number;
  readonly tags: Record<string, string>;
  readonly connection: pulumi.Output<ConnectionArgs>;
  /** The connection split into plain fields and secrets (see NodeAccess). */
  readonly access: NodeAccess;
  readonly devices: MemberDevice[];
}

/** What a volume needs to know of a device (implemented by Device). */
export interface MemberDevice extends pulumi.Resource {
  readonly path: string;
  readonly tags: Record<string, string>;
}

export interface GlusterClusterArgs {
  /** Name of the cluster; tags every volume group and brick the provider makes. Default: the resource name. */
  clusterId?: string;
  /** Failure-domain rule for volumes: `strict` (default), `prefer` or `none`. */
  zoneChecking?: pulumi.Input<"strict" | "prefer" | "none">;
  /** Directory under which brick filesystems are mounted. Default `/var/lib/glusterfs-bricks`. */
  brickRoot?: pulumi.Input<string>;
  /** Smallest brick the planner makes, in bytes. Default 1 GiB. */
  minBrickSize?: pulumi.Input<number>;
  /** Largest brick the planner makes, in bytes. Default 4 TiB. */
  maxBrickSize?: pulumi.Input<number>;
  /** Most bricks one volume may have. Default 32. */
  maxBricksPerVolume?: pulumi.Input<number>;
  /** How volumes grow by default: `add-sets` (default) or `grow`. */
  expandMode?: pulumi.Input<"add-sets" | "grow">;
  /** Default SSH connection for the cluster's nodes; a node's own connection overrides it field by field. */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * A trusted storage pool and the policy its volumes follow. Nodes join it with `new Node(...)`,
 * their disks with `new Device(...)`, and volumes name it with `new Volume(..., { cluster })`.
 */
export class GlusterCluster extends pulumi.dynamic.Resource {
  public readonly clusterId!: pulumi.Output<string>;
  public readonly zoneChecking!: pulumi.Output<string>;
  public readonly brickRoot!: pulumi.Output<string>;
  public readonly expandMode!: pulumi.Output<string>;

  /** The cluster's id as a plain string, known while the program runs. */
  public readonly name: string;
  /** The policy as given, for the volumes of this cluster. */
  public readonly policy: GlusterClusterArgs;
  /** Nodes in declaration order; the first one forms the pool. */
  public readonly nodes: ClusterMember[] = [];

  constructor(name: string, args: GlusterClusterArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const clusterId = args.clusterId ?? name;
    super(
      clusterProvider,
      name,
      {
        clusterId,
        zoneChecking: args.zoneChecking ?? "strict",
        brickRoot: args.brickRoot ?? "/var/lib/glusterfs-bricks",
        minBrickSize: args.minBrickSize,
        maxBrickSize: args.maxBrickSize,
        maxBricksPerVolume: args.maxBricksPerVolume,
        expandMode: args.expandMode ?? "add-sets",
      },
      opts,
      "glusterfs",
      "GlusterCluster",
    );
    this.name = clusterId;
    this.policy = args;
  }
}
