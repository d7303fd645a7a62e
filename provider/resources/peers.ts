// The trusted storage pool: join from a member declared earlier, leave through any other member.
import type { Member, NodeInputs } from "../core/model";
import { shq } from "../core/shell";
import { parsePoolList, parseVolumeInfo } from "./gluster-xml";
import { runStep, type Target } from "./remote";

const G = "gluster --mode=script";

export async function glusterdCheck(node: Target): Promise<void> {
  await runStep(node, {
    step: "glusterd.check",
    readOnly: true,
    text: `systemctl is-active --quiet glusterd || { echo "glusterd is not running on $(hostname)" >&2; exit 3; }\n${G} pool list >/dev/null`,
    hint: "install glusterfs-server and start glusterd (systemctl enable --now glusterd)",
  });
}

async function poolList(target: Target) {
  const r = await runStep(target, { step: "peer.list", readOnly: true, text: `${G} --xml pool list` });
  return parsePoolList(r.stdout);
}

/** Waits until `storage` is a connected member in `member`'s view of the pool. */
function waitConnected(storage: string): string {
  return [
    `for i in $(seq 1 60); do`,
    `  if ${G} pool list | awk -v h=${shq(storage)} '$2==h && $3=="Connected" {f=1} END {exit !f}'; then exit 0; fi`,
    `  sleep 1`,
    `done`,
    `echo "peer ${storage} did not become Connected within 60 s" >&2; ${G} pool list >&2; exit 1`,
  ].join("\n");
}

export async function joinPool(node: NodeInputs, members: Member[]): Promise<void> {
  if (members.length === 0) return; // the first node forms the pool on its own
  let lastError: unknown;
  for (const member of members) {
    try {
      await runStep(member, {
        step: "peer.probe",
        text: `${G} peer probe ${shq(node.storageAddress)}\n${waitConnected(node.storageAddress)}`,
        hint: `check that ${member.manageAddress} can reach ${node.storageAddress} on TCP 24007 and that the node is not in another pool`,
      });
      // Probing back records the member under its name (not its address) on the new node.
      await runStep(node, {
        step: "peer.probe-back",
        text: `${G} peer probe ${shq(member.storageAddress)} >/dev/null`,
      });
      return;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export async function peerInfo(node: Target): Promise<{ peerUuid: string; peerState: string }> {
  const peers = await poolList(node);
  const self = peers.find((p) => p.hostname === "localhost");
  const others = peers.filter((p) => p.hostname !== "localhost");
  const connected = others.filter((p) => p.connected).length;
  return {
    peerUuid: self?.uuid ?? "",
    peerState: `in a pool of ${peers.length} (${connected} of ${others.length} other peers connected)`,
  };
}

export async function leavePool(node: NodeInputs): Promise<void> {
  const r = await runStep(node, { step: "volume.info", readOnly: true, text: `${G} --xml volume info` });
  const holding = parseVolumeInfo(r.stdout).filter((v) =>
    v.bricks.some((b) => b.startsWith(`${node.storageAddress}:`) || b.startsWith(`${node.manageAddress}:`)),
  );
  if (holding.length > 0) {
    throw new Error(
      `node ${node.manageAddress} still holds bricks of volume(s) ${holding.map((v) => v.name).join(", ")}: ` +
        `removing it would lose a replica. Delete or move those volumes first, then remove the node.`,
    );
  }
  const others = (await poolList(node)).filter((p) => p.hostname !== "localhost");
  if (others.length === 0) return; // the last node: the pool ends with it
  const via: Target[] = [
    ...node.members,
    ...others.map((p) => ({
      manageAddress: p.hostname,
      connection: { ...node.connection, host: p.hostname },
    })),
  ];
  let lastError: unknown;
  for (const member of via) {
    try {
      await runStep(member, {
        step: "peer.detach",
        text: `out=$(${G} peer detach ${shq(node.storageAddress)} 2>&1) || echo "$out" | grep -qiE 'not part of cluster|not a friend|is not in' || { echo "$out" >&2; exit 1; }`,
      });
      return;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
