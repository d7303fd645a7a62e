import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DURABILITY_INPUT } from "../../provider/core/defaults";
import type { VolumeHealth } from "../../provider/core/model";
import { GlusterCluster } from "./cluster";
import { credentialsFor, withSecretCredentials } from "./connection";
import { mergeDependsOn } from "./node";
import { volumeProvider } from "./providers";

export interface DurabilityArgs {
  /** `replicate` (default), `disperse` or `distribute`. */
  type?: "replicate" | "disperse" | "distribute";
  /** Copies of each file for `replicate`: 2 or 3 (default 3). */
  replica?: number;
  /** With replica 3, the third brick of each set is an arbiter holding only metadata. */
  arbiter?: boolean;
  /** D of a D+R disperse set. */
  disperseData?: number;
  /** R of a D+R disperse set; 2R must be less than D+R. */
  disperseRedundancy?: number;
}

export interface VolumeArgs {
  /** The cluster the volume lives on; its nodes and devices may be declared before or after the volume. */
  cluster: GlusterCluster;
  /** Gluster volume name. Default: the resource name. */
  name?: pulumi.Input<string>;
  /** Total usable size: bytes, or `10GiB` / `10Gi`. Growing it expands the volume; shrinking is refused. */
  size: pulumi.Input<string | number>;
  /** How the volume keeps data safe. Default replica 3. */
  durability?: pulumi.Input<DurabilityArgs>;
  /** Thin pool size as a multiple of the brick size, leaving room for snapshots. Default 1. */
  snapshotFactor?: pulumi.Input<number>;
  /** Group id that owns the brick directories (mode 2775). */
  gid?: pulumi.Input<number>;
  /** Gluster volume options. */
  options?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Failure-domain rule for this volume; overrides the cluster's. */
  zoneChecking?: pulumi.Input<"strict" | "prefer" | "none">;
  /** Only use devices whose tags match every rule. */
  tagMatch?: pulumi.Input<pulumi.Input<{ key: string; value: string; negate?: boolean }>[]>;
  /** Expected average file size, for sizing arbiter bricks. Default `64KiB`. */
  averageFileSize?: pulumi.Input<string | number>;
  /** How to grow: `add-sets` or `grow`. Default: the cluster's. */
  expandMode?: pulumi.Input<"add-sets" | "grow">;
  /**
   * After an expansion, `wait` (default): `up` returns once the rebalance has finished, and a
   * failed rebalance fails it. `start`: `up` only starts it; `rebalanceStatus` says `in progress`
   * until a refresh finds it completed. Either way an unfinished run is never recorded as done.
   */
  rebalance?: pulumi.Input<"wait" | "start">;
}

export interface BrickOutput {
  id: string;
  node: string;
  storage: string;
  zone: number;
  device: string;
  set: number;
  index: number;
  role: "data" | "arbiter";
  size: number;
  poolSize: number;
  metadataSize: number;
  path: string;
}

/**
 * A GlusterFS volume. `pulumi preview` lists the bricks it will make (node, device, size); growing
 * `size` adds sets or grows bricks and rebalances; `pulumi destroy` removes every brick it made.
 */
export class Volume extends pulumi.dynamic.Resource {
  public readonly bricks!: pulumi.Output<BrickOutput[]>;
  public readonly volumeId!: pulumi.Output<string>;
  public readonly mountSource!: pulumi.Output<string>;
  public readonly backupVolfileServers!: pulumi.Output<string[]>;
  public readonly mountOptions!: pulumi.Output<string>;
  public readonly status!: pulumi.Output<string>;
  /** Bricks online, entries pending heal and in split-brain, as the last `pulumi refresh` read them. */
  public readonly health!: pulumi.Output<VolumeHealth | undefined>;
  /**
   * `not-needed`, `completed`, `in progress`, `pending`, `failed`, `stopped` or `unknown`: set by
   * `up`, and read again by `pulumi refresh` (which shows a run `up` only started as completed).
   */
  public readonly rebalanceStatus!: pulumi.Output<string | undefined>;

  constructor(name: string, args: VolumeArgs, opts: pulumi.CustomResourceOptions = {}) {
    const cluster = args.cluster;
    const policy = cluster.policy;
    // The cluster's nodes and devices, wherever the program declares them (declared.ts): the
    // topology and the dependencies are promises the engine waits for before registering the volume.
    const members = cluster.members(name);
    const topology = members.then((nodes) =>
      nodes.map((n) => ({
        ...n.given,
        connection: n.access.plain,
        devices: n.devices.map((d) => d.given),
      })),
    );
    // A volume dials its bricks' nodes, also on destroy and refresh, where only its own state
    // reaches the provider: secrets given in the program (not stack config) travel with it, in
    // one secret input (see the README's Configuration section).
    const credentials = members.then((nodes) =>
      credentialsFor(nodes.map((n) => ({ manageAddress: n.given.manageAddress, access: n.access }))),
    );
    const dependencies = members.then((nodes) => [cluster, ...nodes, ...nodes.flatMap((n) => n.devices)]);
    super(
      volumeProvider,
      name,
      {
        // Defaults are the provider's (its check fills them in), except the durability, which
        // states of earlier releases recorded as given here.
        cluster: {
          clusterId: cluster.idInput,
          zoneChecking: policy.zoneChecking,
          brickRoot: policy.brickRoot,
          minBrickSize: policy.minBrickSize,
          maxBrickSize: policy.maxBrickSize,
          maxBricksPerVolume: policy.maxBricksPerVolume,
          expandMode: policy.expandMode,
        },
        topology,
        credentials,
        name: args.name ?? name,
        // Who owns what this resource makes: marked on the Gluster volume and (as a digest) on every
        // brick, so a failure never touches anything else and the next `up` finishes a cut operation.
        // Deterministic, so a retried create recognises its own bricks.
        owner: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        size: args.size,
        // Written out, not left to the provider: state since the first release records it and diff
        // compares it, so a Volume that names no durability keeps showing no change.
        durability: args.durability ?? { ...DEFAULT_DURABILITY_INPUT },
        snapshotFactor: args.snapshotFactor,
        gid: args.gid,
        options: args.options ?? {},
        zoneChecking: args.zoneChecking,
        tagMatch: args.tagMatch ?? [],
        averageFileSize: args.averageFileSize,
        expandMode: args.expandMode,
        rebalance: args.rebalance,
        bricks: undefined,
        volumeId: undefined,
        mountSource: undefined,
        backupVolfileServers: undefined,
        mountOptions: undefined,
        status: undefined,
        health: undefined,
        rebalanceStatus: undefined,
      },
      withSecretCredentials({
        ...opts,
        dependsOn: mergeDependsOn(opts.dependsOn, pulumi.output(dependencies)),
      }),
      "glusterfs",
      "Volume",
    );
  }
}
