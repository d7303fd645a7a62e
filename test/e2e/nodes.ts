// What the e2e tests look at on the lab's nodes: our volume groups, LVs, mounts, fstab lines,
// volumes and peers. Read over SSH with the pinned host keys.
import { type LabNode, labExec, labStatus, sshArgs } from "../support/lab";

export interface NodeFootprint {
  node: string;
  vgs: string[];
  lvs: string[];
  mounts: string[];
  fstab: string[];
  volumes: string[];
  peers: number;
}

const SCRIPT = [
  "vgs --noheadings -o vg_name 2>/dev/null | tr -d ' ' | grep -v '^$' || true",
  "echo ---",
  "lvs --noheadings -o lv_name 2>/dev/null | tr -d ' ' | grep -v '^$' || true",
  "echo ---",
  "grep -E 'glusterfs-bricks|heketi' /proc/mounts | cut -d' ' -f2 || true",
  "echo ---",
  "grep -E 'glusterfs-bricks|heketi' /etc/fstab || true",
  "echo ---",
  "gluster --mode=script volume list 2>/dev/null | grep -v '^No volumes present' || true",
  "echo ---",
  "gluster --mode=script peer status 2>/dev/null | sed -n 's/^Number of Peers: //p'",
].join("\n");

export function footprint(node: LabNode, knownHosts: string): NodeFootprint {
  const r = labExec([...sshArgs(node, knownHosts), SCRIPT]);
  if (r.code !== 0) throw new Error(`reading ${node.name} failed: ${r.stderr}`);
  const parts = r.stdout.split("---\n").map((p) => p.split("\n").filter((l) => l.trim() !== ""));
  return {
    node: node.name,
    vgs: parts[0] ?? [],
    lvs: parts[1] ?? [],
    mounts: parts[2] ?? [],
    fstab: parts[3] ?? [],
    volumes: parts[4] ?? [],
    peers: Number((parts[5] ?? ["0"])[0] ?? 0),
  };
}

export function footprints(count = 3): NodeFootprint[] {
  const status = labStatus();
  return status.nodes.slice(0, count).map((n) => footprint(n, status.knownHostsFile));
}

export function clean(node: string): NodeFootprint {
  return { node, vgs: [], lvs: [], mounts: [], fstab: [], volumes: [], peers: 0 };
}

/** Runs a shell command inside the lab's namespace (e.g. a FUSE mount of a volume). */
export function inLab(command: string): { code: number; stdout: string; stderr: string } {
  return labExec(["bash", "-c", command]);
}
