// The trusted storage pool: join from a member declared earlier, leave through any other member.
// The scripts are provider/node's (peer.ts, inventory.ts); this file decides where they run.
import { RemoteError } from "../core/errors";
import type { Member, NodeInputs } from "../core/model";
import * as node from "../node";
import type { Deps, Target } from "./deps";

export async function glusterdCheck(deps: Deps, target: Target): Promise<void> {
  const exec = deps.executorFor(target);
  const { active } = await node.glusterdCheck(exec);
  if (!active)
    throw new RemoteError({
      node: exec.host,
      step: "node.glusterd-check",
      exitCode: 0,
      stderr: "",
      message: "found glusterd not running",
      hint: "install glusterfs-server and start glusterd (systemctl enable --now glusterd)",
    });
  await node.peerState(exec); // the Gluster CLI answers
}

export async function joinPool(deps: Deps, n: NodeInputs, members: Member[]): Promise<void> {
  if (members.length === 0) return; // the first node forms the pool on its own
  let lastError: unknown;
  for (const member of members) {
    try {
      await node.peerProbe(deps.executorFor(member), n.storageAddress);
      // Probing back records the member under its name (not its address) on the new node.
      await node.peerProbe(deps.executorFor(n), member.storageAddress);
      return;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export async function peerInfo(deps: Deps, target: Target): Promise<{ peerUuid: string; peerState: string }> {
  const peers = await node.peerState(deps.executorFor(target));
  const self = peers.find((p) => p.hostname === "localhost");
  const others = peers.filter((p) => p.hostname !== "localhost");
  const connected = others.filter((p) => p.connected).length;
  return {
    peerUuid: self?.uuid ?? "",
    peerState: `in a pool of ${peers.length} (${connected} of ${others.length} other peers connected)`,
  };
}

export async function leavePool(deps: Deps, n: NodeInputs): Promise<void> {
  const exec = deps.executorFor(n);
  // Refused before anything changed: named like a step's refusal (step, node, cause, what next).
  const refuse = (why: string, hint: string) =>
    new RemoteError({
      node: n.manageAddress,
      step: "node.leave-pool",
      exitCode: null,
      stderr: "",
      message: `refused: ${why}`,
      hint,
    });
  const inventory = await node.readInventory(exec);
  if (!inventory.volumes)
    throw refuse(
      `cannot list the Gluster volumes (${inventory.problems.join("; ") || "glusterd is not running"}), so it is not known whether the node still holds bricks`,
      "start glusterd on the node and run the command again",
    );
  const holding = inventory.volumes.filter((v) =>
    v.bricks.some((b) => b.host === n.storageAddress || b.host === n.manageAddress),
  );
  if (holding.length > 0) {
    throw refuse(
      `node ${n.manageAddress} still holds bricks of volume(s) ${holding.map((v) => v.name).join(", ")}: ` +
        "removing it would lose a replica",
      "delete or move those volumes first, then remove the node",
    );
  }
  const others = (inventory.peers ?? (await node.peerState(exec))).filter((p) => p.hostname !== "localhost");
  if (others.length === 0) return; // the last node: the pool ends with it
  // Detach from a node the program declared (with its own connection), never from a host
  // name gluster lists: that name is not known to be reachable, nor to be the node it says,
  // and this node's credentials must not be offered to it.
  if (n.members.length === 0)
    throw refuse(
      `node ${n.manageAddress} is still in a pool with ${others.map((p) => p.hostname).join(", ")}, and no node ` +
        "declared before it is left to detach it from",
      "delete the nodes declared after it first, or run " +
        `\`gluster peer detach ${n.storageAddress}\` on one of them, then run the command again`,
    );
  let lastError: unknown;
  for (const member of n.members) {
    try {
      await node.peerDetach(deps.executorFor(member), n.storageAddress);
      return;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
