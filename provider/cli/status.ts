// `pulumi-glusterfs status`: the cluster as it is on the nodes (peers, devices, volumes, bricks,
// health, and whose markers each object carries), read over SSH in one read-only script per node.
// Exit codes: 0 every node read, 2 read in part (a node or glusterd did not answer; the rest is
// printed), 1 invalid input or nothing read.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ValidationError } from "../core/errors";
import { type FlagSpecs, type ParsedFlags, parseFlags } from "./args";
import { formatSize } from "../core/units";
import { type ClusterStatus, type StatusTarget, readClusterStatus } from "../resources/status";

export const STATUS_USAGE = `usage: pulumi-glusterfs status --node HOST [--node HOST ...] [options]

Prints the cluster as it is on the nodes: peers, devices, volumes and their bricks (online, pending
heal), and which objects carry pulumi-glusterfs's or Heketi's markers. Reads only: one read-only
script per node over SSH, no node lock.

  --node [USER@]HOST[:PORT]   a node to read (repeatable); the first also answers the cluster-wide
                              queries (volume status, heal info)
  --user USER                 SSH user for nodes that name none (default root)
  --port PORT                 SSH port for nodes that name none (default 22)
  -i, --identity FILE         SSH private key file (else $PULUMI_GLUSTERFS_PRIVATE_KEY_FILE, else the
                              stack's glusterfs:privateKey with --stack, else the ssh agent)
  --stack NAME                read glusterfs:privateKey, :password, :privateKeyPassword and
                              :knownHostsFile from this stack's config (runs 'pulumi config' here)
  --known-hosts FILE          where host keys are recorded on first use and checked after (default:
                              the stack's glusterfs:knownHostsFile, else ~/.cache/pulumi-glusterfs/known_hosts)
  --sudo                      run the script through 'sudo -n' (non-root users)
  --json                      print the report as JSON (sizes in bytes)

Exit status: 0 every node read, 2 read in part (the report says what is missing), 1 invalid input.
`;

const STATUS_FLAGS: FlagSpecs = {
  node: { type: "string", multiple: true },
  user: { type: "string" },
  port: { type: "string" },
  identity: { type: "string", short: "i" },
  stack: { type: "string" },
  "known-hosts": { type: "string" },
  sudo: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** Stack config as the provider reads it (`pulumi config --json --show-secrets`). */
export interface StackCredentials {
  privateKey?: string;
  password?: string;
  privateKeyPassword?: string;
  knownHostsFile?: string;
}

export interface StatusDeps {
  read?: (targets: StatusTarget[], opts: { knownHostsFile?: string }) => Promise<ClusterStatus>;
  stackConfig?: (stack: string) => StackCredentials;
  env?: NodeJS.ProcessEnv;
}

function port(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535)
    throw new ValidationError(flag, text, "a port from 1 to 65535");
  return n;
}

/** `[user@]host[:port]`, IPv6 as `[addr]:port`. */
export function parseNode(text: string): { user?: string; host: string; port?: number } {
  const m = /^(?:([A-Za-z0-9._-]+)@)?(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+))(?::(\d+))?$/.exec(text);
  if (!m)
    throw new ValidationError(
      "--node",
      text,
      "[USER@]HOST[:PORT], e.g. gfs-1, root@10.0.0.1:2222 or [fd00::1]:22",
    );
  return {
    ...(m[1] ? { user: m[1] } : {}),
    host: (m[2] ?? m[3])!,
    ...(m[4] ? { port: port("--node", m[4]) } : {}),
  };
}

function readKeyFile(flag: string, file: string): string {
  const resolved = file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
  try {
    return fs.readFileSync(resolved, "utf8");
  } catch (err) {
    throw new ValidationError(
      flag,
      file,
      "a readable private key file",
      err instanceof Error ? err.message : String(err),
    );
  }
}

/** Runs `pulumi config --json --show-secrets --stack NAME` in the current directory. */
export function pulumiStackConfig(stack: string): StackCredentials {
  const r = spawnSync("pulumi", ["config", "--json", "--show-secrets", "--stack", stack], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error || r.status !== 0)
    throw new ValidationError(
      "--stack",
      stack,
      "a stack of the Pulumi project in the current directory",
      (r.error?.message ?? r.stderr).trim().split("\n")[0],
    );
  let json: Record<string, { value?: unknown }>;
  try {
    json = JSON.parse(r.stdout) as Record<string, { value?: unknown }>;
  } catch {
    throw new ValidationError("--stack", stack, "a stack whose 'pulumi config --json' prints JSON");
  }
  const get = (key: string) => {
    const v = json[`glusterfs:${key}`]?.value;
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const out: StackCredentials = {};
  for (const key of ["privateKey", "password", "privateKeyPassword", "knownHostsFile"] as const) {
    const v = get(key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The targets and known_hosts file the flags, environment and stack config give. */
export function targetsOf(
  p: ParsedFlags,
  deps: StatusDeps,
): { targets: StatusTarget[]; knownHostsFile?: string } {
  const nodes = p.lists.get("--node") ?? [];
  if (nodes.length === 0) throw new ValidationError("--node", undefined, "at least one --node HOST");
  const env = deps.env ?? process.env;
  const stackName = p.values.get("--stack");
  const stack = stackName ? (deps.stackConfig ?? pulumiStackConfig)(stackName) : {};
  const identity = p.values.get("--identity");
  const envKey = env.PULUMI_GLUSTERFS_PRIVATE_KEY_FILE;
  const privateKey = identity
    ? readKeyFile("--identity", identity)
    : envKey
      ? readKeyFile("PULUMI_GLUSTERFS_PRIVATE_KEY_FILE", envKey)
      : stack.privateKey;
  const password = privateKey ? undefined : stack.password;
  const passphrase = env.PULUMI_GLUSTERFS_PRIVATE_KEY_PASSWORD || stack.privateKeyPassword;
  const user = p.values.get("--user");
  const portText = p.values.get("--port");
  const defaultPort = portText === undefined ? undefined : port("--port", portText);
  const seen = new Set<string>();
  const targets = nodes.map((text) => {
    const n = parseNode(text);
    const key = `${n.host}:${n.port ?? defaultPort ?? 22}`;
    if (seen.has(key)) throw new ValidationError("--node", text, "each node once");
    seen.add(key);
    return {
      name: text,
      connection: {
        host: n.host,
        ...((n.port ?? defaultPort) ? { port: n.port ?? defaultPort } : {}),
        ...((n.user ?? user) ? { user: n.user ?? user } : {}),
        ...(privateKey ? { privateKey } : {}),
        ...(password ? { password } : {}),
        ...(passphrase ? { privateKeyPassword: passphrase } : {}),
        ...(p.switches.has("--sudo") ? { sudo: true } : {}),
        dialErrorLimit: 2,
        perDialTimeout: 20,
      },
    };
  });
  const file = p.values.get("--known-hosts") ?? stack.knownHostsFile;
  const knownHostsFile = file?.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
  return { targets, ...(knownHostsFile ? { knownHostsFile } : {}) };
}

// ---------------------------------------------------------------- rendering

/** Columns padded to their widest cell; the last column is not padded. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

const size = (n: number | undefined) => (n === undefined ? "-" : formatSize(n));
const opt = (n: number | undefined) => (n === undefined ? "-" : String(n));

/** The report as tables, one per section, for a terminal. */
export function renderStatus(s: ClusterStatus): string {
  const out: string[] = [];
  out.push(
    "NODES\n" +
      table(
        ["NODE", "HOSTNAME", "GLUSTERD", "UUID"],
        s.nodes.map((n) =>
          n.reachable
            ? [n.node, n.hostname ?? "-", n.glusterd ?? "-", n.uuid ?? "-"]
            : [n.node, "-", "unreachable", "-"],
        ),
      ),
  );
  const asked = s.peers[0]?.askedNodes ?? 0;
  out.push(
    `PEERS (connected: seen so by how many of the ${asked} nodes whose glusterd answered)\n` +
      (s.peers.length === 0
        ? "none\n"
        : table(
            ["HOSTNAME", "UUID", "STATE", "CONNECTED"],
            s.peers.map((p) => [p.hostname, p.uuid, p.state, `${p.connectedBy}/${p.askedNodes}`]),
          )),
  );
  out.push(
    "DEVICES\n" +
      (s.devices.length === 0
        ? "none\n"
        : table(
            ["NODE", "DEVICE", "VG", "SIZE", "FREE", "MARKED"],
            s.devices.map((d) => [
              d.node,
              d.devices.join(",") || "-",
              d.vg,
              size(d.sizeBytes),
              size(d.freeBytes),
              d.marks.cluster ? `cluster ${d.marks.cluster}` : d.marks.heketi ? "heketi" : "not ours",
            ]),
          )),
  );
  out.push(
    "VOLUMES\n" +
      (s.volumes.length === 0
        ? "none\n"
        : table(
            [
              "NAME",
              "TYPE",
              "LAYOUT",
              "STATUS",
              "HEALTH",
              "BRICKS ONLINE",
              "HEAL PENDING",
              "SPLIT-BRAIN",
              "MARKED",
            ],
            s.volumes.map((v) => [
              v.name,
              v.type,
              v.layout,
              v.status,
              v.health.state,
              // Unknown is not zero: the status could not be read.
              `${v.health.state === "unknown" ? "?" : v.health.bricksOnline}/${v.health.bricksTotal}`,
              opt(v.health.pendingHeal),
              opt(v.health.splitBrain),
              v.marks.owner
                ? `cluster ${v.marks.cluster ?? "-"}, owner ${v.marks.owner}`
                : v.marks.cluster
                  ? `cluster ${v.marks.cluster}, no owner`
                  : v.marks.heketiId
                    ? `heketi ${v.marks.heketiId}`
                    : "not ours",
            ]),
          )),
  );
  for (const v of s.volumes) {
    out.push(
      `BRICKS OF ${v.name}\n` +
        table(
          ["SET", "BRICK", "NODE", "DEVICE", "LV", "SIZE", "FS FREE", "ONLINE", "HEAL", "MARKED"],
          v.bricks.map((b) => [
            String(b.set),
            b.brick + (b.arbiter ? " (arbiter)" : ""),
            b.node ?? "-",
            b.device ?? "-",
            b.lv ? `${b.vg}/${b.lv}` : "-",
            size(b.sizeBytes),
            size(b.fsFreeBytes),
            b.online === undefined ? "?" : b.online ? "yes" : "NO",
            b.splitBrain ? `${opt(b.pendingHeal)} (${b.splitBrain} split-brain)` : opt(b.pendingHeal),
            brickMarks(b.marks),
          ]),
        ),
    );
  }
  if (s.unusedBricks.length > 0)
    out.push(
      "BRICK LVS NO VOLUME USES\n" +
        table(
          ["NODE", "LV", "SIZE", "MARKED"],
          s.unusedBricks.map((b) => [
            b.node,
            `${b.vg}/${b.lv}`,
            size(b.sizeBytes),
            b.origin === "heketi" ? "heketi" : `volume ${b.volume ?? "-"} ${b.brickId ?? ""}`.trimEnd(),
          ]),
        ),
    );
  if (s.problems.length > 0) out.push("PROBLEMS\n" + s.problems.map((p) => `- ${p}\n`).join(""));
  return out.join("\n");
}

function brickMarks(m: ClusterStatus["volumes"][number]["bricks"][number]["marks"]): string {
  if (!m.origin) return "-";
  if (m.origin === "heketi") return "heketi";
  const owner =
    m.owner === "matches" ? "owner matches" : m.owner === "other" ? "OTHER owner" : "no owner tag";
  return `${m.volume ?? "-"} ${m.brickId ?? "-"}, ${owner}`;
}

/** 0 every node read, 2 in part. */
export function exitCodeOf(s: ClusterStatus): number {
  return s.problems.length === 0 && s.nodes.every((n) => n.reachable && n.glusterd === "active") ? 0 : 2;
}

export async function runStatus(
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  deps: StatusDeps = {},
): Promise<number> {
  try {
    const p = parseFlags(args, STATUS_FLAGS);
    if (p.switches.has("--help")) {
      stdout.write(STATUS_USAGE);
      return 0;
    }
    const { targets, knownHostsFile } = targetsOf(p, deps);
    const report = await (deps.read ?? readClusterStatus)(targets, knownHostsFile ? { knownHostsFile } : {});
    if (report.nodes.every((n) => !n.reachable)) {
      stderr.write(
        `pulumi-glusterfs status: no node could be read:\n${report.problems.map((x) => `- ${x}\n`).join("")}`,
      );
      if (p.switches.has("--json")) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 1;
    }
    stdout.write(p.switches.has("--json") ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
    return exitCodeOf(report);
  } catch (err) {
    if (err instanceof ValidationError) {
      stderr.write(`pulumi-glusterfs status: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
