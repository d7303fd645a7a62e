// Connections to the lab's nodes for provider/ssh: through the lab's loopback forwards
// (127.0.0.1:forwardPort -> node:22), with the node's host key pinned.
import * as fs from "node:fs";
import type { SshConnection } from "../../provider/ssh";
import { type LabNode, type LabStatus, labStatus } from "./lab";

export interface LabTarget {
  node: LabNode;
  /** How the provider reaches the node (manage address). */
  connection: SshConnection;
  /** How Gluster and the other nodes name it (storage address). */
  storage: string;
}

export function labTargets(status: LabStatus = labStatus()): LabTarget[] {
  return status.nodes.map((node) => ({
    node,
    storage: node.storageAddress,
    connection: {
      host: node.forwardHost,
      port: node.forwardPort,
      user: node.user,
      privateKey: fs.readFileSync(node.privateKeyPath, "utf8"),
      hostKey: node.hostKey,
      dialErrorLimit: 3,
      perDialTimeout: 30,
    },
  }));
}
