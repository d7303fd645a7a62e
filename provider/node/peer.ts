// Peers: glusterd check, probe from an existing member, detach, state.
import type { RemoteExecutor } from "../core/exec";
import { assertHost } from "../core/names";
import { sh } from "../core/shell";
import { type GlusterPeer, parsePeers } from "./gluster-xml";
import { ScriptBuilder } from "./script";
import { runStep } from "./step";

export function buildGlusterdCheck() {
  return new ScriptBuilder("node.glusterd-check", { readOnly: true, timeoutMs: 60_000 })
    .add(
      `section active systemctl is-active glusterd
section version gluster --version`,
      2,
    )
    .build();
}

export async function glusterdCheck(
  exec: RemoteExecutor,
): Promise<{ active: boolean; version: string | undefined }> {
  const r = await runStep(exec, buildGlusterdCheck());
  const active = r.output.sections.get("active")?.text.trim() === "active";
  const v = /glusterfs (\S+)/.exec(r.output.sections.get("version")?.text ?? "");
  return { active, version: v?.[1] };
}

/**
 * awk over `peer status --xml`: prints "connected state" for the peer named $host, nothing when
 * the list does not name it. Returns 1 (Gluster's answer on stderr) when there is no list: that
 * is "cannot tell", never "not a peer". Callers run it in $(...) and check its status.
 */
const PEER_STATE = String.raw`peer_state() {
  local out
  out=$(glx peer status 2>&1) || true
  if [ "$(printf '%s' "$out" | xml_ret)" != 0 ]; then
    printf "cannot read the peer list on %s: %s\n" "$(hostname)" "$(printf '%s' "$out" | xml_err)$(printf '%s' "$out" | grep -q '<cliOutput' || printf '%s' "$out" | tail -n 3)" >&2
    return 1
  fi
  printf '%s\n' "$out" | awk -v h="$1" '
    /<peer>/ { inp = 1; m = 0; c = ""; s = "" }
    inp && index($0, "<hostname>" h "</hostname>") { m = 1 }
    inp && /<connected>/ { c = $0; gsub(/.*<connected>|<\/connected>.*/, "", c) }
    inp && /<state>/ { s = $0; gsub(/.*<state>|<\/state>.*/, "", s) }
    /<\/peer>/ { if (m) print c, s; inp = 0 }'
}`;

/**
 * Runs on a node already in the pool: probes the new node (gluster answers "already in peer
 * list" for a known one, which we count as no change) and waits until it is in the cluster
 * and connected.
 */
export function buildPeerProbe(host: string, waitSeconds = 120) {
  const h = assertHost(host, "peer host");
  return new ScriptBuilder("peer.probe", { timeoutMs: (waitSeconds + 120) * 1000 })
    .add(PEER_STATE)
    .add(
      sh`host=${h}; wait_s=${waitSeconds}
systemctl is-active --quiet glusterd || fail_because glusterd-down "glusterd is not running on $(hostname)"
st=$(peer_state "$host")
if [ -z "$st" ]; then
  out=$(glx peer probe "$host" 2>&1) || true
  ret=$(printf '%s' "$out" | xml_ret); errno=$(printf '%s' "$out" | sed -n 's:.*<opErrno>\(.*\)</opErrno>.*:\1:p' | head -n1)
  if [ "$ret" != 0 ]; then
    err=$(printf '%s' "$out" | xml_err)
    case "$err" in
      *"not connected"* | *"resolve"* | *"Probe returned with"*) fail_because not-connected "gluster peer probe $host: $err" ;;
      *) fail "gluster peer probe $host: \${err:-$out}" ;;
    esac
  fi
  [ "$errno" != 0 ] || change "peer probe $host"
fi
deadline=$(( $(date +%s) + wait_s ))
while :; do
  st=$(peer_state "$host") || st="" # glusterd may be busy for a moment while the peer joins
  [ "$st" = "1 3" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || fail_because not-connected "peer $host did not reach 'Peer in Cluster (Connected)' within \${wait_s}s (now: \${st:-absent})"
  sleep 1
done`,
      2,
    )
    .build();
}

export async function peerProbe(member: RemoteExecutor, host: string): Promise<{ changes: string[] }> {
  const r = await runStep(member, buildPeerProbe(host), {
    "glusterd-down": "start glusterd on the node named above (systemctl enable --now glusterd), then retry",
    "not-connected":
      "check that glusterd runs on both nodes, that the name resolves on the member, and that they reach each other on port 24007",
  });
  return { changes: r.changes };
}

/** Runs on another member; "not part of cluster" counts as already done. */
export function buildPeerDetach(host: string) {
  const h = assertHost(host, "peer host");
  return new ScriptBuilder("peer.detach", { timeoutMs: 180_000 })
    .add(PEER_STATE)
    .add(
      sh`host=${h}
st=$(peer_state "$host")
if [ -n "$st" ]; then
  out=$(glx peer detach "$host" 2>&1) || true
  if [ "$(printf '%s' "$out" | xml_ret)" != 0 ]; then
    err=$(printf '%s' "$out" | xml_err)
    case "$err" in
      *brick*) fail_because has-bricks "gluster peer detach $host: $err" ;;
      *) fail "gluster peer detach $host: \${err:-$out}" ;;
    esac
  fi
  change "peer detach $host"
fi`,
      2,
    )
    .build();
}

export async function peerDetach(member: RemoteExecutor, host: string): Promise<{ changes: string[] }> {
  const r = await runStep(member, buildPeerDetach(host), {
    "has-bricks": "remove the node's bricks from every volume first",
  });
  return { changes: r.changes };
}

export function buildPeerState() {
  return new ScriptBuilder("peer.state", { readOnly: true, timeoutMs: 120_000 })
    .add("section pool timeout 60 gluster --mode=script pool list --xml", 1)
    .build();
}

export async function peerState(exec: RemoteExecutor): Promise<GlusterPeer[]> {
  const r = await runStep(exec, buildPeerState());
  return parsePeers(r.output.sections.get("pool")?.text ?? "");
}
