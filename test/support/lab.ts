// Helpers for tests that use the lab (lab/lab.sh): its status, commands inside its network
// namespace, and SSH to its nodes with their pinned host keys.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const LAB_SCRIPT = path.resolve(__dirname, "../../lab/lab.sh");

export interface LabNode {
  name: string;
  /** Address of the node inside the lab's namespace. */
  address: string;
  /** Name the node's bricks use; resolves inside the namespace and inside the guests. */
  storageAddress: string;
  sshPort: number;
  user: string;
  privateKeyPath: string;
  /** The node's host key as a known_hosts line has it: "ssh-ed25519 AAAA...". */
  hostKey: string;
  dataDisks: string[];
  /** 127.0.0.1:forwardPort reaches the node's sshd from outside the namespace. */
  forwardHost: string;
  forwardPort: number;
  pid: number;
  running: boolean;
  serialLog: string;
}

export interface LabStatus {
  namespace: string;
  running: boolean;
  hostsFile: string;
  knownHostsFile: string;
  hostAddress: string;
  runDir: string;
  nodes: LabNode[];
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  input?: string;
  timeoutMs?: number;
}

function run(cmd: string, args: string[], opts: ExecOptions = {}): ExecResult {
  const r = spawnSync(cmd, args, {
    input: opts.input,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? (r.signal ? 128 : 1), stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Runs `lab.sh ARGS...` and returns its result (never throws on a non-zero exit). */
export function labCommand(args: string[], opts: ExecOptions = {}): ExecResult {
  return run("bash", [LAB_SCRIPT, ...args], { timeoutMs: 1_800_000, ...opts });
}

/** The lab's status (`lab.sh status --json`). */
export function labStatus(): LabStatus {
  const r = labCommand(["status", "--json"], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`lab status failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as LabStatus;
}

/** Runs CMD inside the lab's network namespace (with the namespace's hosts file). */
export function labExec(cmd: string[], opts: ExecOptions = {}): ExecResult {
  return labCommand(["exec", "--", ...cmd], opts);
}

/** Writes a known_hosts file that pins every node's host key under its address and name. */
export function writeKnownHosts(status: LabStatus, file?: string): string {
  const target = file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-known-hosts-")), "known_hosts");
  const lines = status.nodes.flatMap((n) => [`${n.address} ${n.hostKey}`, `${n.name} ${n.hostKey}`]);
  fs.writeFileSync(target, lines.join("\n") + "\n");
  return target;
}

/** Arguments for ssh to a node from inside the namespace, with strict host key checking. */
export function sshArgs(node: LabNode, knownHostsFile: string): string[] {
  return [
    "ssh",
    "-i",
    node.privateKeyPath,
    "-p",
    String(node.sshPort),
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsFile}`,
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=20",
    "-o",
    "LogLevel=ERROR",
    `${node.user}@${node.address}`,
  ];
}

/** Runs a shell command on a node over SSH (from inside the namespace). */
export function labSsh(node: LabNode, command: string, opts: ExecOptions = {}): ExecResult {
  return labExec([...sshArgs(node, labStatus().knownHostsFile), command], opts);
}

/** Cuts node N's power (`off`) or boots it again from the same disks and waits for glusterd (`on`). */
export function labPower(node: number, state: "off" | "on"): void {
  const r = labCommand(["power", String(node), state]);
  if (r.code !== 0) throw new Error(`lab power ${node} ${state} failed (${r.code}): ${r.stderr}`);
}

/** Brings the lab back to its clean, un-peered snapshot. */
export function labReset(): void {
  const r = labCommand(["reset"]);
  if (r.code !== 0) throw new Error(`lab reset failed (${r.code}): ${r.stderr}`);
}
