// Parsers of `lvm ... --reportformat json --units b` output. Pure, validated with zod.
import { z } from "zod";
import { ParseError } from "../core/errors";
import { parseTags } from "../core/names";

/** "21336424448B", "21336424448" or "" -> bytes (NaN-free; "" becomes 0). */
function bytes(v: string): number {
  const s = v.trim().replace(/B$/i, "");
  if (s === "") return 0;
  if (!/^\d+$/.test(s)) throw new Error(`not a byte count: ${v}`);
  return Number(s);
}
function num(v: string): number {
  return v.trim() === "" ? 0 : Number(v);
}
function pct(v: string): number | undefined {
  return v.trim() === "" ? undefined : Number(v);
}

const str = z.string().default("");
const vgRow = z.object({
  vg_name: z.string(),
  vg_uuid: str,
  vg_size: str,
  vg_free: str,
  vg_extent_size: str,
  vg_extent_count: str,
  vg_free_count: str,
  vg_tags: str,
  pv_count: str,
  lv_count: str,
});
const lvRow = z.object({
  lv_name: z.string(),
  vg_name: z.string(),
  lv_uuid: str,
  lv_size: str,
  lv_attr: str,
  pool_lv: str,
  lv_tags: str,
  data_percent: str,
  metadata_percent: str,
  thin_count: str,
  lv_dm_path: str,
  lv_metadata_size: str,
});
const pvRow = z.object({
  pv_name: z.string(),
  vg_name: str,
  pv_size: str,
  pv_free: str,
  pv_uuid: str,
  dev_size: str,
});

export interface VolumeGroup {
  name: string;
  uuid: string;
  sizeBytes: number;
  freeBytes: number;
  extentBytes: number;
  extentCount: number;
  freeExtents: number;
  tags: Record<string, string>;
  pvCount: number;
  lvCount: number;
}

export type LvKind = "thin-pool" | "thin" | "internal" | "other";

export interface LogicalVolume {
  name: string;
  vg: string;
  uuid: string;
  sizeBytes: number;
  attr: string;
  kind: LvKind;
  pool: string | undefined;
  tags: Record<string, string>;
  dataPercent: number | undefined;
  metadataPercent: number | undefined;
  thinCount: number | undefined;
  metadataBytes: number;
  dmPath: string;
}

export interface PhysicalVolume {
  name: string;
  vg: string | undefined;
  sizeBytes: number;
  freeBytes: number;
  uuid: string;
  deviceBytes: number;
}

/** Rows of one report ("vg", "lv" or "pv"), from the output of one or more lvm commands. */
function rows(text: string, kind: "vg" | "lv" | "pv"): unknown[] {
  const out: unknown[] = [];
  // Several reports may follow each other; each is a JSON document starting with "{" at column <= 2.
  const docs = text
    .split(/\n(?=\s{0,2}\{\s*$)/m)
    .map((d) => d.trim())
    .filter((d) => d.startsWith("{"));
  for (const d of docs) {
    let j: unknown;
    try {
      j = JSON.parse(d);
    } catch (e) {
      throw new ParseError("lvm json report", (e as Error).message, d);
    }
    const report = (j as { report?: Record<string, unknown>[] }).report;
    if (!Array.isArray(report)) throw new ParseError("lvm json report", "no 'report' array", d);
    for (const r of report) if (Array.isArray(r[kind])) out.push(...(r[kind] as unknown[]));
  }
  return out;
}

function parseRows<T extends z.ZodTypeAny>(text: string, kind: "vg" | "lv" | "pv", schema: T): z.infer<T>[] {
  return rows(text, kind).map((r) => {
    const p = schema.safeParse(r);
    if (!p.success) throw new ParseError(`lvm ${kind} row`, p.error.message, JSON.stringify(r));
    return p.data;
  });
}

export function parseVgs(text: string): VolumeGroup[] {
  return parseRows(text, "vg", vgRow).map((r) => ({
    name: r.vg_name,
    uuid: r.vg_uuid,
    sizeBytes: bytes(r.vg_size),
    freeBytes: bytes(r.vg_free),
    extentBytes: bytes(r.vg_extent_size),
    extentCount: num(r.vg_extent_count),
    freeExtents: num(r.vg_free_count),
    tags: parseTags(r.vg_tags),
    pvCount: num(r.pv_count),
    lvCount: num(r.lv_count),
  }));
}

function lvKind(name: string, attr: string): LvKind {
  if (name.startsWith("[")) return "internal";
  if (attr.startsWith("t")) return "thin-pool";
  if (attr.startsWith("V")) return "thin";
  return "other";
}

export function parseLvs(text: string): LogicalVolume[] {
  return parseRows(text, "lv", lvRow).map((r) => ({
    name: r.lv_name,
    vg: r.vg_name,
    uuid: r.lv_uuid,
    sizeBytes: bytes(r.lv_size),
    attr: r.lv_attr,
    kind: lvKind(r.lv_name, r.lv_attr),
    pool: r.pool_lv || undefined,
    tags: parseTags(r.lv_tags),
    dataPercent: pct(r.data_percent),
    metadataPercent: pct(r.metadata_percent),
    thinCount: r.thin_count.trim() === "" ? undefined : Number(r.thin_count),
    metadataBytes: bytes(r.lv_metadata_size),
    dmPath: r.lv_dm_path,
  }));
}

export function parsePvs(text: string): PhysicalVolume[] {
  return parseRows(text, "pv", pvRow).map((r) => ({
    name: r.pv_name,
    vg: r.vg_name || undefined,
    sizeBytes: bytes(r.pv_size),
    freeBytes: bytes(r.pv_free),
    uuid: r.pv_uuid,
    deviceBytes: bytes(r.dev_size),
  }));
}

export const VGS_FIELDS =
  "vg_name,vg_uuid,vg_size,vg_free,vg_extent_size,vg_extent_count,vg_free_count,vg_tags,pv_count,lv_count";
export const LVS_FIELDS =
  "lv_name,vg_name,lv_uuid,lv_size,lv_attr,pool_lv,lv_tags,data_percent,metadata_percent,thin_count,lv_dm_path,lv_metadata_size";
export const PVS_FIELDS = "pv_name,vg_name,pv_size,pv_free,pv_uuid,dev_size";
