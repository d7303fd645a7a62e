// How the volumes are doing right now: which bricks run (`gluster volume status ... detail`) and
// what self-heal still has to copy (`gluster volume heal VOL info summary`). These queries are
// cluster-wide (glusterd asks every peer), so one node runs them, inside the read-only script
// that reads that node's inventory: health costs no round trip of its own. Pure.
import { sh } from "../core/shell";
import type { VolumeHealth } from "../core/model";
import { assertVolumeName } from "../core/names";
import { parseCliXml } from "./gluster-xml";
import type { GlusterVolumeInfo } from "./gluster-xml";
import type { ScriptOutput } from "./markers";
import { ScriptBuilder } from "./script";

/** Which volumes a health read covers: every volume of the pool, or the ones named. */
export type HealthScope = "all" | readonly string[];

const STATUS_SECTION = "health.status";
const HEAL_SECTION = "health.heal:";
const VOLUME_SECTION = "health.volume:";

/**
 * Shell text for the health sections. Volume status takes glusterd's volume locks on every peer:
 * a concurrent operation (another stack's step) answers "Another transaction is in progress",
 * so that answer is asked again twice before it is kept. `timeout` bounds a peer that hangs.
 */
export function healthSections(scope: HealthScope): { text: string; commands: number } {
  const names = scope === "all" ? [] : scope.map((n) => assertVolumeName(n));
  const retry = String.raw`health_gl() { local out i; for i in 1 2 3; do out=$(timeout 120 gluster --mode=script "$@" --xml 2>&1) || true; case $out in *"Another transaction is in progress"*|*"Locking failed"*) sleep 2 ;; *) break ;; esac; done; printf '%s\n' "$out"; }`;
  const body =
    scope === "all"
      ? String.raw`  section ${STATUS_SECTION} health_gl volume status all detail
  for health_v in $(timeout 60 gluster --mode=script volume list 2>/dev/null | grep -E '^[A-Za-z0-9_-]+$' || true); do
    section "${HEAL_SECTION}$health_v" health_gl volume heal "$health_v" info summary
  done`
      : names
          .map((n) =>
            sh`  section ${VOLUME_SECTION + n} health_gl volume status ${n} detail
  section ${HEAL_SECTION + n} health_gl volume heal ${n} info summary`.toString(),
          )
          .join("\n");
  return {
    text: `${retry}\nif systemctl is-active --quiet glusterd; then\n${body || "  :"}\nfi`,
    commands: scope === "all" ? 2 : 2 * names.length,
  };
}

/** A read-only script of the health sections alone (for a node other than the one the inventory asked). */
export function buildHealthScript(scope: HealthScope) {
  const s = healthSections(scope);
  return new ScriptBuilder("node.health", { readOnly: true, timeoutMs: 300_000 })
    .add(s.text, s.commands)
    .build();
}

// ---------------------------------------------------------------- parsing

type XmlNode = Record<string, unknown>;
function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return text((v as XmlNode)["#text"]);
  return String(v);
}
/** A count, or undefined where gluster prints "-" or "N/A" (a brick it could not ask). */
function count(v: unknown): number | undefined {
  const s = text(v).trim();
  return /^\d+$/.test(s) ? Number(s) : undefined;
}
function arr(v: unknown): XmlNode[] {
  if (v === undefined || v === null || v === "") return [];
  return (Array.isArray(v) ? v : [v]).filter((x) => typeof x === "object") as XmlNode[];
}
function obj(v: unknown): XmlNode {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as XmlNode) : {};
}

export interface BrickRuntime {
  host: string;
  path: string;
  /** host:path as gluster names the brick. */
  spec: string;
  peerId: string;
  online: boolean;
  pid: number | undefined;
  port: number | undefined;
  /** Of the brick's filesystem, from `detail`. */
  sizeTotal: number | undefined;
  sizeFree: number | undefined;
  device: string | undefined;
}

export interface VolumeRuntime {
  name: string;
  bricks: BrickRuntime[];
  /** Self-heal daemons, by the peer they run on. */
  selfHeal: { host: string; online: boolean }[];
  tasks: { type: string; status: string }[];
}

/**
 * `gluster volume status all|VOL [detail] --xml`: every started volume's bricks and daemons.
 * A volume that is not started answers an error (for one volume) or is left out (for `all`).
 */
export function parseVolumeRuntime(
  xml: string,
): { ok: true; volumes: VolumeRuntime[] } | { ok: false; reason: string } {
  const r = parseCliXml(xml, "gluster volume status");
  if (r.opRet !== 0) return { ok: false, reason: r.opErrstr || `opRet ${r.opRet}` };
  const volumes = arr(obj(obj(r.root.volStatus).volumes).volume).map((v) => {
    const bricks: BrickRuntime[] = [];
    const selfHeal: VolumeRuntime["selfHeal"] = [];
    for (const n of arr(v.node)) {
      const host = text(n.hostname);
      const path = text(n.path);
      const online = text(n.status) === "1";
      if (path.startsWith("/")) {
        bricks.push({
          host,
          path,
          spec: `${host}:${path}`,
          peerId: text(n.peerid),
          online,
          pid: count(n.pid),
          port: count(n.port),
          sizeTotal: count(n.sizeTotal),
          sizeFree: count(n.sizeFree),
          device: text(n.device) || undefined,
        });
      } else if (/self-heal/i.test(host)) selfHeal.push({ host: path, online });
    }
    return {
      name: text(v.volName),
      bricks,
      selfHeal,
      tasks: arr(obj(v.tasks).task).map((t) => ({ type: text(t.type), status: text(t.statusStr) })),
    };
  });
  return { ok: true, volumes };
}

export interface BrickHeal {
  spec: string;
  hostUuid: string;
  /** `Connected`, or why the heal query could not reach the brick. */
  status: string;
  connected: boolean;
  /** Entries this brick holds that another copy still needs; undefined when the brick did not answer. */
  pending: number | undefined;
  splitBrain: number | undefined;
  possiblyHealing: number | undefined;
  total: number | undefined;
}

/**
 * `gluster volume heal VOL info summary --xml`. A volume without copies (distribute) or not
 * started answers an error, kept as `reason`.
 */
export function parseHealSummary(
  xml: string,
): { ok: true; bricks: BrickHeal[] } | { ok: false; reason: string; notApplicable: boolean } {
  const r = parseCliXml(xml, "gluster volume heal info summary");
  if (r.opRet !== 0) {
    const reason = r.opErrstr || `opRet ${r.opRet}`;
    return { ok: false, reason, notApplicable: /not of type (replicate|disperse)/i.test(reason) };
  }
  const bricks = arr(obj(obj(r.root.healInfo).bricks).brick).map((b) => {
    const status = text(b.status);
    return {
      spec: text(b.name),
      hostUuid: text(b["@hostUuid"]),
      status,
      connected: status === "Connected",
      pending: count(b.numberOfEntriesInHealPending),
      splitBrain: count(b.numberOfEntriesInSplitBrain),
      possiblyHealing: count(b.numberOfEntriesPossiblyHealing),
      total: count(b.totalNumberOfEntries),
    };
  });
  return { ok: true, bricks };
}

/** What the health sections of one script said, per volume. */
export interface HealthReport {
  /** Runtime of every started volume the script asked about, by name. */
  runtime: Map<string, VolumeRuntime>;
  /** Volumes whose status could not be read (not started, or an error), with glusterd's words. */
  statusErrors: Map<string, string>;
  heal: Map<string, ReturnType<typeof parseHealSummary>>;
  /** glusterd did not run on the node, so nothing was asked. */
  glusterdDown: boolean;
  problems: string[];
}

/** Reads the health sections back; `glusterdDown` when the script had none (glusterd not active). */
export function parseHealthSections(out: ScriptOutput): HealthReport {
  const report: HealthReport = {
    runtime: new Map(),
    statusErrors: new Map(),
    heal: new Map(),
    glusterdDown: true,
    problems: [],
  };
  const keep = (name: string, xml: string, one: string | undefined) => {
    report.glusterdDown = false;
    try {
      const st = parseVolumeRuntime(xml);
      if (st.ok) for (const v of st.volumes) report.runtime.set(v.name, v);
      else if (one !== undefined) report.statusErrors.set(one, st.reason);
      else report.problems.push(`volume status: ${st.reason}`);
    } catch (err) {
      report.problems.push(`${name}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
  };
  for (const [name, s] of out.sections) {
    if (name === STATUS_SECTION) keep(name, s.text, undefined);
    else if (name.startsWith(VOLUME_SECTION)) keep(name, s.text, name.slice(VOLUME_SECTION.length));
    else if (name.startsWith(HEAL_SECTION)) {
      report.glusterdDown = false;
      const volume = name.slice(HEAL_SECTION.length);
      try {
        report.heal.set(volume, parseHealSummary(s.text));
      } catch (err) {
        const reason = err instanceof Error ? err.message.split("\n")[0]! : String(err);
        report.heal.set(volume, { ok: false, reason, notApplicable: false });
      }
    }
  }
  return report;
}

// ---------------------------------------------------------------- one volume's health

/**
 * The health of one volume, as the Volume resource reports it on refresh. `state`: `healthy` (every
 * brick runs, nothing waits for self-heal), `healing` (every brick runs, entries wait), `degraded`
 * (a brick is offline), `split-brain`, `stopped`, or `unknown` (the status could not be read, see
 * `problems`). `pendingHeal` and `splitBrain` are entries summed over the bricks that hold them (as
 * `heal info summary` counts them); absent for volumes without copies (distribute) and when heal
 * info could not be read. `offlineBricks` are host:path (every brick of a stopped volume).
 */
export type { VolumeHealth };

export function volumeHealth(info: GlusterVolumeInfo, report: HealthReport | undefined): VolumeHealth {
  const all = info.bricks.map((b) => b.spec);
  const problems: string[] = [];
  if (info.status !== "Started")
    return { state: "stopped", bricksOnline: 0, bricksTotal: all.length, offlineBricks: all, problems };
  const runtime = report?.runtime.get(info.name);
  if (!report || report.glusterdDown) problems.push("glusterd did not answer on the node asked");
  else if (!runtime) problems.push(`volume status: ${report.statusErrors.get(info.name) ?? "no answer"}`);
  const online = new Set(runtime?.bricks.filter((b) => b.online).map((b) => b.spec));
  const offlineBricks = runtime ? all.filter((s) => !online.has(s)) : [];
  const health: VolumeHealth = {
    state: "unknown",
    bricksOnline: runtime ? all.length - offlineBricks.length : 0,
    bricksTotal: all.length,
    offlineBricks,
    problems,
  };
  const heal = report?.heal.get(info.name);
  if (heal?.ok) {
    // A brick that did not answer has no count; the others' counts still stand.
    health.pendingHeal = heal.bricks.reduce((s, b) => s + (b.pending ?? 0) + (b.possiblyHealing ?? 0), 0);
    health.splitBrain = heal.bricks.reduce((s, b) => s + (b.splitBrain ?? 0), 0);
  } else if (heal && !heal.notApplicable) problems.push(`heal info: ${heal.reason}`);
  else if (!heal && report && !report.glusterdDown) problems.push("heal info: not read");
  if (runtime) {
    if (offlineBricks.length > 0) health.state = "degraded";
    else if ((health.splitBrain ?? 0) > 0) health.state = "split-brain";
    else if ((health.pendingHeal ?? 0) > 0) health.state = "healing";
    else health.state = "healthy";
  }
  return health;
}
