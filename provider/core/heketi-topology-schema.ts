// The shape of Heketi's topology.json as a JSON Schema (the file is a JSON contract other tools
// write and read), checked with ajv before the model's rules run. It settles structure only:
// which keys are objects, lists, strings, integers, and which are required. Ranges, host names,
// device paths and sizes are the model's rules (topology.ts), which say them in its own words.
// Keys Heketi's format has and this provider ignores are allowed, so a topology.json is read
// unchanged.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { ValidationError } from "./errors";

const hostList = { type: "array", items: { type: "string" }, minItems: 1 };
const tagMap = { type: "object", additionalProperties: { type: "string" } };
const sizeValue = { type: ["string", "number"] };

export const HEKETI_TOPOLOGY_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Heketi topology.json",
  type: "object",
  required: ["clusters"],
  properties: {
    clusters: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          file: { type: "boolean" },
          block: { type: "boolean" },
          nodes: {
            type: "array",
            items: {
              type: "object",
              required: ["node"],
              properties: {
                node: {
                  type: "object",
                  required: ["hostnames"],
                  properties: {
                    hostnames: {
                      type: "object",
                      required: ["manage", "storage"],
                      properties: { manage: hostList, storage: hostList },
                    },
                    zone: { type: "integer" },
                    tags: tagMap,
                  },
                },
                devices: {
                  type: "array",
                  // Heketi takes a bare device path where an object is expected.
                  items: {
                    if: { type: "string" },
                    then: {},
                    else: {
                      type: "object",
                      required: ["name"],
                      properties: {
                        name: { type: "string" },
                        destroydata: { type: "boolean" },
                        tags: tagMap,
                        size: sizeValue,
                        free: sizeValue,
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** Compiled on first use: programs that never load a topology.json do not pay for it. */
let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
    HEKETI_TOPOLOGY_SCHEMA,
  );
  return compiled;
}

/** `/clusters/0/nodes/2` as `topology.clusters[0].nodes[2]`. */
function pathOf(pointer: string, extra?: string): string {
  let out = "topology";
  const parts = pointer.split("/").slice(1);
  if (extra !== undefined) parts.push(extra);
  for (const raw of parts) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  }
  return out;
}

function valueAt(json: unknown, pointer: string): unknown {
  let at = json;
  for (const part of pointer.split("/").slice(1)) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return at;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function allowedOf(e: ErrorObject): string {
  switch (e.keyword) {
    case "type": {
      const t = e.params.type as string | string[];
      return Array.isArray(t) ? t.map(article).join(" or ") : article(t);
    }
    case "required":
      return "a value (it is required)";
    case "minItems":
      return `a list of at least ${String(e.params.limit)}`;
    default:
      return e.message ?? e.keyword;
  }
}

/**
 * Throws a ValidationError naming the JSON path (e.g. `topology.clusters[0].nodes[2].node.zone`),
 * the value and what is allowed, for the first place the document is not shaped like a
 * topology.json. The deepest problem is the one reported: it names the field to fix.
 */
export function checkHeketiTopologyShape(json: unknown): void {
  const validate = validator();
  if (validate(json)) return;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
  const first = errors.reduce<ErrorObject | undefined>(
    (best, e) => (!best || e.instancePath.split("/").length > best.instancePath.split("/").length ? e : best),
    undefined,
  );
  if (!first) return;
  const missing = first.keyword === "required" ? (first.params.missingProperty as string) : undefined;
  const pointer = missing !== undefined ? `${first.instancePath}/${missing}` : first.instancePath;
  throw new ValidationError(
    pathOf(first.instancePath, missing),
    valueAt(json, pointer),
    allowedOf(first),
    first.message,
  );
}
