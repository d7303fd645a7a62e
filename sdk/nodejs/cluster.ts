import * as pulumi from "@pulumi/pulumi";
import { type ConnectionArgs, type NodeAccess } from "./connection";
import { ClusterOptions } from "./cluster-options";
import { programHasDeclared, whenProgramDeclared } from "./declared";
import { clusterProvider } from "./providers";

/** What a volume needs to know of a node of its cluster, as the program gave it (implemented by Node). */
export interface ClusterMember extends pulumi.Resource {
  readonly given: {
    manageAddress: pulumi.Input<string>;
    storageAddress: pulumi.Input<string>;
    zone: pulumi.Input<number>;
    tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
  };
  /** The connection split into plain fields and secrets (see NodeAccess). */
  readonly access: NodeAccess;
  readonly devices: MemberDevice[];
}

/** What a volume needs to know of a device, as the program gave it (implemented by Device). */
export interface MemberDevice extends pulumi.Resource {
  readonly given: { path: pulumi.Input<string>; tags: pulumi.Input<Record<string, pulumi.Input<string>>> };
}

export interface GlusterClusterArgs {
  /** Name of the cluster; tags every volume group and brick the provider makes. Default: the resource name. */
  clusterId?: pulumi.Input<string>;
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
  /**
   * Cluster-wide Gluster options (`gluster volume set all KEY VALUE`), e.g.
   * `{ "cluster.brick-multiplex": "on" }`. Applied once the cluster's nodes have joined, through a
   * `ClusterOptions` child resource; removing a key resets it to Gluster's default.
   */
  options?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * A trusted storage pool and the policy its volumes follow. Nodes join it with `new Node(...)`,
 * their disks with `new Device(...)`, and volumes name it with `new Volume(..., { cluster })`,
 * in any order: a volume takes the cluster's nodes and devices once the program has declared
 * them all (see declared.ts).
 */
export class GlusterCluster extends pulumi.dynamic.Resource {
  public readonly clusterId!: pulumi.Output<string>;
  public readonly zoneChecking!: pulumi.Output<string>;
  public readonly brickRoot!: pulumi.Output<string>;
  public readonly expandMode!: pulumi.Output<string>;

  /** @internal The cluster's id as given, for its nodes, devices and volumes. */
  public readonly idInput: pulumi.Input<string>;
  /** @internal The policy as given, for the volumes of this cluster. */
  public readonly policy: GlusterClusterArgs;
  /** @internal Nodes in declaration order; the first one forms the pool. */
  public readonly nodes: ClusterMember[] = [];
  /** @internal The volume that first took the member list, once one did. */
  private takenBy: string | undefined;
  /** The cluster-wide settings, when `options` was given. */
  public readonly settings: ClusterOptions | undefined;

  constructor(name: string, args: GlusterClusterArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const clusterId = args.clusterId ?? name;
    // Defaults (zone checking, brick root, expand mode, limits) are the provider's: check fills them in.
    super(
      clusterProvider,
      name,
      {
        clusterId,
        zoneChecking: args.zoneChecking,
        brickRoot: args.brickRoot,
        minBrickSize: args.minBrickSize,
        maxBrickSize: args.maxBrickSize,
        maxBricksPerVolume: args.maxBricksPerVolume,
        expandMode: args.expandMode,
      },
      opts,
      "glusterfs",
      "GlusterCluster",
    );
    this.idInput = clusterId;
    this.policy = args;
    if (args.options !== undefined)
      // The settings live on the nodes: they take the node list the way a volume does (any node
      // declared in the program), without holding later nodes back (any member can apply them).
      this.settings = new ClusterOptions(
        name,
        {
          clusterId,
          options: args.options,
          members: whenProgramDeclared().then(() => [...this.nodes]),
        },
        { parent: this },
      );
  }

  /** @internal Every node (and through them every device) of the cluster, once the program declared them all. */
  public members(volume: string): Promise<ClusterMember[]> {
    return whenProgramDeclared().then(() => {
      this.takenBy ??= volume;
      return [...this.nodes];
    });
  }

  /** @internal Refuses a node or device once a volume has taken the members (it would miss it). */
  public admit(what: string): void {
    if (this.takenBy !== undefined && programHasDeclared())
      throw new Error(
        `${what} was declared after volume ${this.takenBy} took the nodes and devices of its cluster ` +
          `(the program had finished declaring resources): it would be missing from that volume's topology. ` +
          `Declare it with the rest of the program, not in an apply on the volume's own outputs.`,
      );
  }
}
