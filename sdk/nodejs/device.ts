import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../provider/core/defaults";
import { credentialsFor, withSecretCredentials } from "./connection";
import { Node, mergeDependsOn } from "./node";
import { deviceProvider } from "./providers";

export interface DeviceArgs {
  /** The node that holds the device. */
  node: Node;
  /** Device path on the node, e.g. `/dev/vdb`. */
  path: pulumi.Input<string>;
  /** Device tags; they overlay the node's tags (e.g. `{ arbiter: "disabled" }`). */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Opt in to erasing a device that carries partitions, signatures or a filesystem. Default false. */
  wipe?: pulumi.Input<boolean>;
}

/** A raw block device prepared as one LVM volume group for bricks. */
export class Device extends pulumi.dynamic.Resource {
  public readonly vgName!: pulumi.Output<string>;
  public readonly sizeBytes!: pulumi.Output<number>;
  public readonly freeBytes!: pulumi.Output<number>;
  public readonly path!: pulumi.Output<string>;
  public readonly tags!: pulumi.Output<Record<string, string>>;

  public readonly node: Node;
  /** @internal The device as the program gave it. */
  public readonly given: {
    path: pulumi.Input<string>;
    tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
  };

  constructor(name: string, args: DeviceArgs, opts: pulumi.CustomResourceOptions = {}) {
    const node = args.node;
    node.cluster.admit(`device ${name}`);
    const credentials = credentialsFor([{ manageAddress: node.given.manageAddress, access: node.access }]);
    const given = { path: args.path, tags: args.tags ?? {} };
    super(
      deviceProvider,
      name,
      {
        clusterId: node.cluster.idInput,
        node: node.given.manageAddress,
        ...given,
        wipe: args.wipe ?? DEFAULTS.wipe,
        connection: node.access.plain,
        ...(credentials ? { credentials } : {}),
        vgName: undefined,
        sizeBytes: undefined,
        freeBytes: undefined,
      },
      withSecretCredentials({
        parent: node,
        ...opts,
        dependsOn: mergeDependsOn(opts.dependsOn, [node]),
      }),
      "glusterfs",
      "Device",
    );
    this.node = node;
    this.given = given;
    node.devices.push(this);
  }
}
