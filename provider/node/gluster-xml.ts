// Parsers of `gluster ... --xml` output with a real XML parser. Gluster exits 0 even when an
// operation failed, so opRet/opErrno/opErrstr are always checked. Pure.
import { XMLParser } from "fast-xml-parser";
import { ParseError } from "../core/errors";

const ARRAYS = new Set(["peer", "volume", "brick", "option", "node", "task"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name, jpath) =>
    name === "hostname" ? String(jpath).endsWith("hostnames.hostname") : ARRAYS.has(name),
});

type XmlNode = Record<string, unknown>;

export interface CliReply {
  opRet: number;
  opErrno: number;
  opErrstr: string;
  output: string | undefined;
  root: XmlNode;
}

/** A gluster command that answered with opRet != 0. */
export class GlusterCliError extends Error {
  constructor(
    readonly opRet: number,
    readonly opErrno: number,
    readonly opErrstr: string,
  ) {
    super(`gluster: ${opErrstr || `operation failed (opRet ${opRet}, opErrno ${opErrno})`}`);
    this.name = "GlusterCliError";
  }
}

function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return text((v as XmlNode)["#text"]);
  return String(v);
}
function int(v: unknown): number {
  const s = text(v);
  return s === "" || s === "N/A" ? 0 : Number(s);
}
function arr(v: unknown): XmlNode[] {
  if (v === undefined || v === null || v === "") return [];
  return (Array.isArray(v) ? v : [v]).filter((x) => typeof x === "object") as XmlNode[];
}
function obj(v: unknown): XmlNode {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as XmlNode) : {};
}

/** Parses the <cliOutput> envelope. Text before the XML declaration (CLI chatter) is skipped. */
export function parseCliXml(xml: string, what = "gluster --xml output"): CliReply {
  const start = xml.indexOf("<?xml");
  const body = start >= 0 ? xml.slice(start) : xml.slice(Math.max(0, xml.indexOf("<cliOutput")));
  let doc: XmlNode;
  try {
    doc = parser.parse(body) as XmlNode;
  } catch (e) {
    throw new ParseError(what, (e as Error).message, xml);
  }
  const root = doc.cliOutput;
  if (!root || typeof root !== "object") throw new ParseError(what, "no <cliOutput> element", xml);
  const r = root as XmlNode;
  if (!("opRet" in r)) throw new ParseError(what, "no <opRet> element", xml);
  return {
    opRet: int(r.opRet),
    opErrno: int(r.opErrno),
    opErrstr: text(r.opErrstr),
    output: r.output === undefined ? undefined : text(r.output),
    root: r,
  };
}

/** The envelope, throwing GlusterCliError unless opRet is 0. */
export function expectOk(xml: string, what?: string): CliReply {
  const r = parseCliXml(xml, what);
  if (r.opRet !== 0) throw new GlusterCliError(r.opRet, r.opErrno, r.opErrstr);
  return r;
}

export function isMissingVolume(reply: Pick<CliReply, "opRet" | "opErrstr">): boolean {
  return reply.opRet !== 0 && /does not exist/i.test(reply.opErrstr);
}

// ---------------------------------------------------------------- peers

export interface GlusterPeer {
  uuid: string;
  hostname: string;
  hostnames: string[];
  connected: boolean;
  state: number | undefined;
  stateStr: string | undefined;
  /** The node that answered (pool list shows it as "localhost"). */
  self: boolean;
}

/** `gluster peer status --xml` or `gluster pool list --xml`. */
export function parsePeers(xml: string): GlusterPeer[] {
  const r = expectOk(xml, "gluster peer status");
  return arr(obj(r.root.peerStatus).peer).map((p) => {
    const hostname = text(p.hostname);
    const names = arr(p.hostnames).flatMap((h) =>
      Array.isArray(h.hostname) ? h.hostname.map(text) : [text(h.hostname)],
    );
    return {
      uuid: text(p.uuid),
      hostname,
      hostnames: names.length > 0 ? names : [hostname],
      connected: text(p.connected) === "1",
      state: p.state === undefined ? undefined : int(p.state),
      stateStr: p.stateStr === undefined ? undefined : text(p.stateStr),
      self: hostname === "localhost" && p.state === undefined,
    };
  });
}

// ---------------------------------------------------------------- volume info

export interface GlusterBrick {
  host: string;
  path: string;
  /** host:path as gluster names it. */
  spec: string;
  hostUuid: string;
  isArbiter: boolean;
}

export interface GlusterVolumeInfo {
  name: string;
  id: string;
  status: string;
  type: string;
  brickCount: number;
  distCount: number;
  replicaCount: number;
  arbiterCount: number;
  disperseCount: number;
  redundancyCount: number;
  snapshotCount: number;
  bricks: GlusterBrick[];
  options: Record<string, string>;
}

function splitSpec(spec: string): { host: string; path: string } {
  const i = spec.indexOf(":/");
  return i < 0 ? { host: "", path: spec } : { host: spec.slice(0, i), path: spec.slice(i + 1) };
}

/** `gluster volume info [NAME] --xml`; a missing volume gives []. */
export function parseVolumeInfo(xml: string): GlusterVolumeInfo[] {
  const r = parseCliXml(xml, "gluster volume info");
  if (isMissingVolume(r)) return [];
  if (r.opRet !== 0) throw new GlusterCliError(r.opRet, r.opErrno, r.opErrstr);
  const vols = arr(obj(obj(r.root.volInfo).volumes).volume);
  return vols.map((v) => {
    const bricks = arr(obj(v.bricks).brick).map((b) => {
      const spec = text(b.name) || text(b["#text"]);
      return {
        ...splitSpec(spec),
        spec,
        hostUuid: text(b.hostUuid) || text(b["@uuid"]),
        isArbiter: text(b.isArbiter) === "1",
      };
    });
    const options: Record<string, string> = {};
    for (const o of arr(obj(v.options).option)) options[text(o.name)] = text(o.value);
    const info: GlusterVolumeInfo = {
      name: text(v.name),
      id: text(v.id),
      status: text(v.statusStr),
      type: text(v.typeStr),
      brickCount: int(v.brickCount),
      distCount: int(v.distCount),
      replicaCount: int(v.replicaCount),
      arbiterCount: int(v.arbiterCount),
      disperseCount: int(v.disperseCount),
      redundancyCount: int(v.redundancyCount),
      snapshotCount: int(v.snapshotCount),
      bricks,
      options,
    };
    if (!info.name) throw new ParseError("gluster volume info", "a volume without a name", xml);
    if (bricks.length !== info.brickCount)
      throw new ParseError(
        "gluster volume info",
        `brickCount ${info.brickCount} but ${bricks.length} bricks listed`,
        xml,
      );
    return info;
  });
}

// ---------------------------------------------------------------- volume status

export interface GlusterBrickStatus {
  host: string;
  path: string;
  peerId: string;
  online: boolean;
  port: number;
  pid: number;
  sizeTotal: number | undefined;
  sizeFree: number | undefined;
  device: string | undefined;
}

export interface GlusterVolumeStatus {
  name: string;
  bricks: GlusterBrickStatus[];
  daemons: { name: string; host: string; online: boolean; pid: number }[];
  tasks: { type: string; id: string; status: string }[];
}

/** `gluster volume status NAME [detail] --xml`; a stopped volume answers `{ started: false }`. */
export function parseVolumeStatus(
  xml: string,
): { started: true; status: GlusterVolumeStatus } | { started: false; reason: string } {
  const r = parseCliXml(xml, "gluster volume status");
  if (r.opRet !== 0) {
    if (/is not started/i.test(r.opErrstr) || isMissingVolume(r))
      return { started: false, reason: r.opErrstr };
    throw new GlusterCliError(r.opRet, r.opErrno, r.opErrstr);
  }
  const v = arr(obj(obj(r.root.volStatus).volumes).volume)[0];
  if (!v) throw new ParseError("gluster volume status", "no volume in the answer", xml);
  const bricks: GlusterBrickStatus[] = [];
  const daemons: GlusterVolumeStatus["daemons"] = [];
  for (const n of arr(v.node)) {
    const host = text(n.hostname);
    const path = text(n.path);
    if (path.startsWith("/")) {
      bricks.push({
        host,
        path,
        peerId: text(n.peerid),
        online: text(n.status) === "1",
        port: int(n.port),
        pid: int(n.pid),
        sizeTotal: n.sizeTotal === undefined ? undefined : int(n.sizeTotal),
        sizeFree: n.sizeFree === undefined ? undefined : int(n.sizeFree),
        device: n.device === undefined ? undefined : text(n.device),
      });
    } else daemons.push({ name: host, host: path, online: text(n.status) === "1", pid: int(n.pid) });
  }
  const tasks = arr(obj(v.tasks).task).map((t) => ({
    type: text(t.type),
    id: text(t.id),
    status: text(t.statusStr),
  }));
  return { started: true, status: { name: text(v.volName), bricks, daemons, tasks } };
}

// ---------------------------------------------------------------- rebalance

export interface RebalanceStatus {
  /** Aggregate state: "not started", "in progress", "completed", "failed", "stopped", ... */
  status: string;
  nodes: { name: string; status: string; files: number; failures: number }[];
  files: number;
  failures: number;
}

/** `gluster volume rebalance NAME status --xml`. */
export function parseRebalanceStatus(xml: string): RebalanceStatus {
  const r = expectOk(xml, "gluster volume rebalance status");
  const reb = obj(r.root.volRebalance);
  const agg = obj(reb.aggregate);
  return {
    status: text(agg.statusStr) || "not started",
    nodes: arr(reb.node).map((n) => ({
      name: text(n.nodeName),
      status: text(n.statusStr),
      files: int(n.files),
      failures: int(n.failures),
    })),
    files: int(agg.files),
    failures: int(agg.failures),
  };
}
