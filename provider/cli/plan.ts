// `pulumi-glusterfs plan`: what-if brick placement. Reads a Heketi topology.json (extended with
// device sizes and free space) and prints the plan the provider would make, as JSON.
// Exit codes: 0 planned (plan on stdout), 2 no room (JSON error on stdout), 1 invalid input (stderr).
import * as fs from "node:fs";
import { ValidationError } from "../core/errors";
import { type FlagSpecs, type ParsedFlags, parseFlags } from "./args";
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

const PLAN_FLAGS: FlagSpecs = {
  topology: { type: "string" },
  size: { type: "string" },
  existing: { type: "string" },
  replica: { type: "string" },
  arbiter: { type: "boolean" },
  disperse: { type: "string" },
  distribute: { type: "boolean" },
  "zone-checking": { type: "string" },
  "snapshot-factor": { type: "string" },
  "average-file-size": { type: "string" },
  "tag-match": { type: "string", multiple: true },
  "min-brick": { type: "string" },
  "max-brick": { type: "string" },
  "max-bricks": { type: "string" },
  cluster: { type: "string" },
  "expand-mode": { type: "string" },
  help: { type: "boolean", short: "h" },
};

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

function number(flag: string, text: string, allowed: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new ValidationError(flag, text, allowed);
  return Number(text);
}

function optionalNumber(flag: string, text: string | undefined, allowed: string): number | undefined {
  return text === undefined ? undefined : number(flag, text, allowed);
}

function durabilityOf(p: ParsedFlags): Partial<Durability> {
  const replica = p.values.get("--replica");
  const disperse = p.values.get("--disperse");
  const arbiter = p.switches.has("--arbiter");
  const distribute = p.switches.has("--distribute");
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
    const p = parseFlags(args, PLAN_FLAGS);
    if (p.switches.has("--help")) {
      stdout.write(PLAN_USAGE);
      return 0;
    }
    const required = (flag: string): string => {
      const value = p.values.get(flag);
      if (value === undefined) throw new ValidationError(flag, undefined, "a value: the flag is required");
      return value;
    };
    const topologyFile = required("--topology");
    const size = required("--size");
    const optional = (flag: string) => p.values.get(flag);
    const existingFile = optional("--existing");
    const existing = existingFile
      ? fromFile("--existing", existingFile, (j) => parsePlannedVolume(j, "plan"))
      : undefined;
    // With --existing and no durability flag, the volume keeps the durability it has.
    const durabilityFlags =
      ["--replica", "--disperse"].some((f) => p.values.has(f)) ||
      p.switches.has("--arbiter") ||
      p.switches.has("--distribute");
    const durability = existing && !durabilityFlags ? existing.durability : durabilityOf(p);
    const factor = optionalNumber(
      "--snapshot-factor",
      optional("--snapshot-factor"),
      "a number from 1 to 100",
    );
    const maxBricks = optionalNumber("--max-bricks", optional("--max-bricks"), "a whole number of bricks");
    const tagMatch = p.lists.get("--tag-match");
    const texts: Array<
      [
        string,
        "zoneChecking" | "averageFileSize" | "minBrickSize" | "maxBrickSize" | "cluster" | "expandMode",
      ]
    > = [
      ["--zone-checking", "zoneChecking"],
      ["--average-file-size", "averageFileSize"],
      ["--min-brick", "minBrickSize"],
      ["--max-brick", "maxBrickSize"],
      ["--cluster", "cluster"],
      ["--expand-mode", "expandMode"],
    ];
    const input: VolumeRequestInput = {
      size,
      durability,
      ...(factor !== undefined ? { snapshotFactor: factor } : {}),
      ...(maxBricks !== undefined ? { maxBricks } : {}),
      ...(tagMatch ? { tagMatch } : {}),
    };
    for (const [flag, field] of texts) {
      const value = optional(flag);
      if (value !== undefined) input[field] = value;
    }
    let request;
    try {
      request = resolveVolumeRequest(input);
    } catch (err) {
      throw asFlag(err, p.values);
    }
    const inventory = fromFile("--topology", topologyFile, (json) =>
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
