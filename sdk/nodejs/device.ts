import * as pulumi from "@pulumi/pulumi";
import { credentialsFor, withSecretCredentials } from "./connection";
import { Node, mergeDependsOn } from "./node";
import { deviceProvider } from "./providers";

export interface DeviceArgs {
  /** The node that holds the device. */
  node: Node;
  /** Device path on the node, e.g. `/dev/vdb`. */
  path: string;
  /** Device tags; they overlay the node's tags (e.g. `{ arbiter: "disabled" }`). */
  tags?: Record<string, string>;
  /** Opt in to erasing a device that carries partitions, signatures or a filesystem. Default false. */
  wipe?: boolean;
}

/** A raw block device prepared as one LVM volume group for bricks. */
export class Device extends pulumi.dynamic.Resource {
  public readonly vgName!: pulumi.Output<string>;
  public readonly sizeBytes!: pulumi.Output<number>;
  public readonly freeBytes!: pulumi.Output<number>;

  public readonly node: Node;
  public readonly path: string;
  public readonly tags: Record<string, string>;

  constructor(name: string, args: DeviceArgs, opts: pulumi.CustomResourceOptions = {}) {
    const credentials = credentialsFor([args.node]);
    super(
      deviceProvider,
      name,
      {
        clusterId: args.node.cluster.name,
        node: args.node.manageAddress,
        path: args.path,
        tags: args.tags ?? {},
        wipe: args.wipe ?? false,
        connection: args.node.access.plain,
        ...(credentials ? { credentials } : {}),
        vgName: undefined,
        sizeBytes: undefined,
        freeBytes: undefined,
      },
      withSecretCredentials({
        parent: args.node,
        ...opts,
        dependsOn: mergeDependsOn(opts.dependsOn, [args.node]),
      }),
      "glusterfs",
      "Device",
    );
    this.node = args.node;
    this.path = args.path;
    this.tags = args.tags ?? {};
    args.node.devices.push(this);
  }
}
