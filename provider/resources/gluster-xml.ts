// `gluster --xml` output read with a real XML parser; opRet/opErrno/opErrstr are always checked.
import { XMLParser } from "fast-xml-parser";

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

type XmlNode = Record<string, unknown>;

export interface CliOutput {
  opRet: number;
  opErrno: number;
  opErrstr: string;
  body: XmlNode;
}

export function parseCliOutput(xml: string): CliOutput {
  const doc = parser.parse(xml) as { cliOutput?: XmlNode };
  const out = doc.cliOutput;
  if (!out) throw new Error(`gluster did not print XML: ${xml.slice(0, 300)}`);
  return {
    opRet: Number(out.opRet ?? -1),
    opErrno: Number(out.opErrno ?? 0),
    opErrstr: String(out.opErrstr ?? ""),
    body: out,
  };
}

export function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

export interface LiveVolume {
  name: string;
  id: string;
  status: string;
  bricks: string[];
  options: Record<string, string>;
}

export function parseVolumeInfo(xml: string): LiveVolume[] {
  const out = parseCliOutput(xml);
  if (out.opRet !== 0) throw new Error(`gluster volume info failed: ${out.opErrstr}`);
  const volumes = list<XmlNode>((out.body.volInfo as XmlNode | undefined)?.volumes as XmlNode | undefined);
  return volumes.flatMap((vs: XmlNode) =>
    list(vs.volume as XmlNode | XmlNode[]).map((v) => ({
      name: String(v.name),
      id: String(v.id),
      status: String(v.statusStr),
      bricks: list((v.bricks as XmlNode | undefined)?.brick as XmlNode | XmlNode[]).map((b) =>
        String(b.name),
      ),
      options: Object.fromEntries(
        list((v.options as XmlNode | undefined)?.option as XmlNode | XmlNode[]).map((o) => [
          String(o.name),
          String(o.value),
        ]),
      ),
    })),
  );
}

export interface LivePeer {
  uuid: string;
  hostname: string;
  connected: boolean;
  state: string;
}

export function parsePoolList(xml: string): LivePeer[] {
  const out = parseCliOutput(xml);
  if (out.opRet !== 0) throw new Error(`gluster pool list failed: ${out.opErrstr}`);
  return list((out.body.peerStatus as XmlNode | undefined)?.peer as XmlNode | XmlNode[]).map((p) => ({
    uuid: String(p.uuid),
    hostname: String(p.hostname),
    connected: String(p.connected) === "1",
    state: String(p.stateStr ?? ""),
  }));
}

/** The aggregate state of a rebalance: "in progress", "completed", "failed", "not started", ... */
export function parseRebalanceStatus(xml: string): string {
  const out = parseCliOutput(xml);
  if (out.opRet !== 0) throw new Error(`gluster volume rebalance status failed: ${out.opErrstr}`);
  const rebalance = out.body.volRebalance as XmlNode | undefined;
  const aggregate = rebalance?.aggregate as XmlNode | undefined;
  if (!aggregate) throw new Error("gluster volume rebalance status: no aggregate in the XML");
  return String(aggregate.statusStr ?? "").toLowerCase();
}
