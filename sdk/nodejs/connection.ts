import * as pulumi from "@pulumi/pulumi";

/** How to reach a node over SSH; the fields follow pulumi-command's `connection`. */
export interface ConnectionArgs {
  /** Address to reach the node over SSH. Defaults to the node's manage address. */
  host?: pulumi.Input<string>;
  /** SSH port. Default 22. */
  port?: pulumi.Input<number>;
  /** SSH user. Default root. */
  user?: pulumi.Input<string>;
  /** Password for password authentication (use a secret). */
  password?: pulumi.Input<string>;
  /** Private key in OpenSSH or PEM format (use a secret, or stack config `glusterfs:privateKey`). */
  privateKey?: pulumi.Input<string>;
  /** Passphrase of an encrypted private key. */
  privateKeyPassword?: pulumi.Input<string>;
  /** Path of an ssh-agent socket. */
  agentSocketPath?: pulumi.Input<string>;
  /** Connection attempts before failing. Default 10. */
  dialErrorLimit?: pulumi.Input<number>;
  /** Seconds to wait for one connection attempt. Default 15. */
  perDialTimeout?: pulumi.Input<number>;
  /** Pinned host key as known_hosts has it, e.g. `ssh-ed25519 AAAA...`. */
  hostKey?: pulumi.Input<string>;
  /** Run remote scripts through `sudo -n`. */
  sudo?: pulumi.Input<boolean>;
  /** A jump host. */
  proxy?: pulumi.Input<ConnectionArgs & { host: pulumi.Input<string> }>;
}

/** A node's connection: the cluster's default, overlaid field by field by the node's own. */
export function mergeConnections(
  base: pulumi.Input<ConnectionArgs> | undefined,
  override: pulumi.Input<ConnectionArgs> | undefined,
  manageAddress: pulumi.Input<string>,
): pulumi.Output<ConnectionArgs> {
  return pulumi.all([base ?? {}, override ?? {}, manageAddress]).apply(([b, o, host]) => {
    const merged: Record<string, unknown> = { host };
    for (const source of [b, o] as Record<string, unknown>[]) {
      for (const [key, value] of Object.entries(source)) if (value !== undefined) merged[key] = value;
    }
    return merged as ConnectionArgs;
  });
}
