// `pulumi-glusterfs plan`: what-if brick placement. Reads a Heketi topology.json (extended with
// device sizes and free space) and prints the plan the provider would make, as JSON.
// Exit codes: 0 planned (plan on stdout), 2 no room (JSON error on stdout), 1 invalid input (stderr).
import * as fs from "node:fs";
import { ValidationError } from "../core/errors";
import { parseHeketiTopology, topologyToInventory } from "../core/topology";
import {
  parsePlannedVolume,
  planVolume,
  resolveVolumeRequest,
  type VolumeRequestInput,
} from "../core/placement";
import type { Durability } from "../core/placement";

export const PLAN_USAGE = `usage: pulumi-glusterfs plan --topology FILE --size SIZE [options]

Plans where the bricks of a GlusterFS volume would go, without touching any node.

  --topology FILE             Heketi topology.json; device objects may add "size" and "free"
  --size SIZE                 total usable size of the volume, e.g. 500GiB, 2Ti, 1073741824
  --existing FILE             JSON printed by an earlier plan: its bricks are kept, only the rest is planned
  --replica N                 replicate with N copies, 2 or 3 (default: replicate 3)
  --arbiter                   replica 3 with the third brick of each set an arbiter
  --disperse D+R              disperse (erasure coded) sets of D data and R redundancy bricks, 2R < D+R
  --distribute                plain distribute, no redundancy
  --zone-checking MODE        strict (default), prefer or none
  --snapshot-factor F         thin pool size / brick size, 1 to 100 (default 1)
  --average-file-size SIZE    sizes arbiter bricks at 4KiB per expected file (default 64KiB)
  --tag-match KEY=VALUE       only devices whose tag (node tags overlaid by device tags) matches;
  --tag-match KEY!=VALUE        or differs; repeatable, all rules must hold
  --min-brick SIZE            smallest brick (default 1GiB, at least 300MiB)
  --max-brick SIZE            largest brick (default 4TiB)
  --max-bricks N              most bricks in the volume (default 32)
  --cluster ID                plan in this cluster only (default: the first cluster where it fits)
  --expand-mode MODE          with --existing: add-sets (default) or grow

Exit status: 0 planned (the plan on stdout), 2 no room (a JSON error on stdout), 1 invalid input.
`;

const VALUE_FLAGS = new Set([
  "--topology",
  "--size",
  "--existing",
  "--replica",
  "--disperse",
  "--zone-checking",
  "--snapshot-factor",
  "--average-file-size",
  "--tag-match",
  "--min-brick",
  "--max-brick",
  "--max-bricks",
  "--cluster",
  "--expand-mode",
]);
const BOOLEAN_FLAGS = new Set(["--arbiter", "--distribute", "--help", "-h"]);

const FIELD_FLAGS: Array<[RegExp, string]> = [
  [/^size$/, "--size"],
  [/^durability\.replica$/, "--replica"],
  [/^durability\.arbiter$/, "--arbiter"],
  [/^durability\.(data|redundancy)$/, "--disperse"],
  [/^durability(\.type)?$/, "--replica/--arbiter/--disperse/--distribute"],
  [/^zoneChecking$/, "--zone-checking"],
  [/^snapshotFactor$/, "--snapshot-factor"],
  [/^averageFileSize$/, "--average-file-size"],
  [/^tagMatch/, "--tag-match"],
  [/^minBrickSize$/, "--min-brick"],
  [/^maxBrickSize$/, "--max-brick"],
  [/^maxBricks$/, "--max-bricks"],
  [/^cluster$/, "--cluster"],
  [/^expandMode$/, "--expand-mode"],
];

/** Renames a core field to the flag the user typed, and shows the value as typed. */
function asFlag(error: unknown, typed: Map<string, string>): unknown {
  if (!(error instanceof ValidationError)) return error;
  const flag = FIELD_FLAGS.find(([pattern]) => pattern.test(error.field))?.[1];
  if (!flag) return error;
  const value = typed.get(flag) ?? error.value;
  return new ValidationError(flag, value, error.allowed, error.detail);
}

interface Parsed {
  values: Map<string, string>;
  tagMatch: string[];
  flags: Set<string>;
}

function parseArgs(args: string[]): Parsed {
  const parsed: Parsed = { values: new Map(), tagMatch: [], flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq > 0) throw new ValidationError(name, arg.slice(eq + 1), "no value: it is a switch");
      parsed.flags.add(name);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) {
      throw new ValidationError("argument", arg, `one of ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].join(", ")}`);
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new ValidationError(name, undefined, "a value after the flag");
    if (name === "--tag-match") parsed.tagMatch.push(value);
    else if (parsed.values.has(name)) throw new ValidationError(name, value, "the flag once");
    else parsed.values.set(name, value);
  }
  return parsed;
}

function number(flag: string, text: string, allowed: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new ValidationError(flag, text, allowed);
  return Number(text);
}

function optionalNumber(flag: string, text: string | undefined, allowed: string): number | undefined {
  return text === undefined ? undefined : number(flag, text, allowed);
}

function durabilityOf(p: Parsed): Partial<Durability> {
  const replica = p.values.get("--replica");
  const disperse = p.values.get("--disperse");
  const arbiter = p.flags.has("--arbiter");
  const distribute = p.flags.has("--distribute");
  const chosen = [replica !== undefined || arbiter, disperse !== undefined, distribute].filter(
    Boolean,
  ).length;
  if (chosen > 1) {
    throw new ValidationError(
      "--replica/--arbiter/--disperse/--distribute",
      [
        replica && `--replica ${replica}`,
        arbiter && "--arbiter",
        disperse && `--disperse ${disperse}`,
        distribute && "--distribute",
      ]
        .filter(Boolean)
        .join(" "),
      "one durability: --replica N [--arbiter], --disperse D+R or --distribute",
    );
  }
  if (distribute) return { type: "distribute" };
  if (disperse !== undefined) {
    const match = /^(\d+)\+(\d+)$/.exec(disperse);
    if (!match)
      throw new ValidationError("--disperse", disperse, "D+R with whole numbers, e.g. 4+2, where 2R < D+R");
    return { type: "disperse", data: Number(match[1]), redundancy: Number(match[2]) };
  }
  const d: Partial<Durability> = { type: "replicate" };
  if (replica !== undefined) d.replica = number("--replica", replica, "2 or 3");
  if (arbiter) d.arbiter = true;
  return d;
}

function readJson(flag: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ValidationError(
      flag,
      file,
      "a readable file",
      err instanceof Error ? err.message : String(err),
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(flag, file, "a JSON file", err instanceof Error ? err.message : String(err));
  }
}

function fromFile<T>(flag: string, file: string, parse: (json: unknown) => T): T {
  const json = readJson(flag, file);
  try {
    return parse(json);
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ValidationError(`${flag} ${file}: ${err.field}`, err.value, err.allowed, err.detail);
    }
    throw err;
  }
}

export async function runPlan(
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  try {
    const p = parseArgs(args);
    if (p.flags.has("--help") || p.flags.has("-h")) {
      stdout.write(PLAN_USAGE);
      return 0;
    }
    for (const required of ["--topology", "--size"]) {
      if (!p.values.has(required))
        throw new ValidationError(required, undefined, "a value: the flag is required");
    }
    const optional = (flag: string) => p.values.get(flag);
    const existingFile = optional("--existing");
    const existing = existingFile
      ? fromFile("--existing", existingFile, (j) => parsePlannedVolume(j, "plan"))
      : undefined;
    // With --existing and no durability flag, the volume keeps the durability it has.
    const durabilityFlags =
      ["--replica", "--disperse"].some((f) => p.values.has(f)) ||
      p.flags.has("--arbiter") ||
      p.flags.has("--distribute");
    const durability = existing && !durabilityFlags ? existing.durability : durabilityOf(p);
    const input: VolumeRequestInput = { size: p.values.get("--size")!, durability };
    if (optional("--zone-checking") !== undefined) input.zoneChecking = optional("--zone-checking")!;
    const factor = optionalNumber(
      "--snapshot-factor",
      optional("--snapshot-factor"),
      "a number from 1 to 100",
    );
    if (factor !== undefined) input.snapshotFactor = factor;
    if (optional("--average-file-size") !== undefined)
      input.averageFileSize = optional("--average-file-size")!;
    if (p.tagMatch.length > 0) input.tagMatch = p.tagMatch;
    if (optional("--min-brick") !== undefined) input.minBrickSize = optional("--min-brick")!;
    if (optional("--max-brick") !== undefined) input.maxBrickSize = optional("--max-brick")!;
    const maxBricks = optionalNumber("--max-bricks", optional("--max-bricks"), "a whole number of bricks");
    if (maxBricks !== undefined) input.maxBricks = maxBricks;
    if (optional("--cluster") !== undefined) input.cluster = optional("--cluster")!;
    if (optional("--expand-mode") !== undefined) input.expandMode = optional("--expand-mode")!;
    let request;
    try {
      request = resolveVolumeRequest(input);
    } catch (err) {
      throw asFlag(err, p.values);
    }
    const inventory = fromFile("--topology", p.values.get("--topology")!, (json) =>
      topologyToInventory(parseHeketiTopology(json)),
    );
    let result;
    try {
      result = planVolume(request, inventory, existing);
    } catch (err) {
      throw asFlag(err, p.values);
    }
    if (result.ok) {
      stdout.write(`${JSON.stringify(result.plan, null, 2)}\n`);
      return 0;
    }
    stdout.write(`${JSON.stringify({ error: result.error, ...result.details }, null, 2)}\n`);
    return 2;
  } catch (err) {
    if (err instanceof ValidationError) {
      stderr.write(`pulumi-glusterfs plan: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
