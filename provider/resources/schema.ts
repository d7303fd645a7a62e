// schema.json, made from the registry: each resource's zod schemas through zod's JSON Schema
// export, turned into Pulumi's package schema, with the secret and replace-on-change marks and
// the descriptions the declarations carry. `npm run schema` writes it; a unit test fails when
// the committed file differs from what this returns.
import { z } from "zod";
import {
  brickSchema,
  clusterPolicySchema,
  connectionSchema,
  connectionSecretFields,
  durabilitySchema,
  memberSchema,
  proxyConnectionSchema,
  tagRuleSchema,
  topologyNodeSchema,
  volumeHealthSchema,
} from "../core/model";
import { CREDENTIALS, credentialsSchema, nodeCredentialsSchema } from "./credentials";
import { PACKAGE, RESOURCE_KINDS, tokenOf } from "./kinds";
import { type AnyDeclaration, registry } from "./registry";

type Json = Record<string, unknown>;

interface NamedType {
  schema: z.ZodType;
  description: string;
  docs: Record<string, string>;
}

const SECRET: ReadonlySet<string> = new Set(connectionSecretFields);

const proxyDocs = {
  port: "SSH port. Default 22.",
  user: "SSH user. Default root.",
  password: "Password for password authentication.",
  privateKey: "Private key in OpenSSH or PEM format.",
  privateKeyPath:
    "Path of a private key file on the machine that runs pulumi, read when dialling; only the path is stored.",
  privateKeyPassword: "Passphrase of an encrypted private key.",
  agentSocketPath: "Path of an ssh-agent socket to authenticate with.",
  dialErrorLimit: "How many times to try to connect before failing. Default 10.",
  perDialTimeout: "Seconds to wait for one connection attempt. Default 15.",
  hostKey:
    "Pinned host key as a known_hosts line has it, e.g. `ssh-ed25519 AAAA...`. When absent the key is recorded on first use and checked afterwards.",
};

/** The object types resources share, by name; a property of one of these schemas is a `$ref`. */
const namedTypes: Record<string, NamedType> = {
  Connection: {
    schema: connectionSchema,
    description: "How to reach a node over SSH; the fields follow pulumi-command's connection.",
    docs: {
      host: "Address to reach the node over SSH. Defaults to the node's manage address.",
      ...proxyDocs,
      sudo: "Run remote scripts through `sudo -n` (for a non-root user).",
      proxy: "A jump host to connect through.",
    },
  },
  ProxyConnection: {
    schema: proxyConnectionSchema,
    description: "A jump host.",
    docs: { host: "Address of the jump host.", ...proxyDocs },
  },
  Durability: {
    schema: durabilitySchema.unwrap(),
    description: "How a volume keeps data safe.",
    docs: {
      type: "`distribute`, `replicate` or `disperse`. Default `replicate`.",
      replica: "Copies of each file for `replicate`: 2 or 3. Default 3.",
      arbiter: "With replica 3, make the third brick of each set an arbiter holding only metadata.",
      disperseData: "Data bricks per disperse set (D of D+R).",
      disperseRedundancy: "Redundancy bricks per disperse set (R of D+R); 2R must be less than D+R.",
    },
  },
  Brick: {
    schema: brickSchema,
    description: "One planned or existing brick.",
    docs: {
      id: "Stable brick id `s<set>b<index>`, used in LV names and tags.",
      node: "Manage hostname of the node that holds the brick.",
      storage: "Storage hostname Gluster uses for the brick.",
      zone: "Failure domain of the node.",
      device: "Block device the brick's volume group lives on.",
      set: "Index of the replica or disperse set the brick belongs to.",
      index: "Position of the brick within its set.",
      role: "`data` or `arbiter`.",
      size: "Size of the brick filesystem in bytes.",
      poolSize: "Size of the thin pool in bytes, including the snapshot reserve.",
      metadataSize: "Size of the thin pool's metadata in bytes.",
      path: "Brick directory on the node.",
    },
  },
  VolumeHealth: {
    schema: volumeHealthSchema,
    description: "A volume's health as the last refresh read it from the nodes.",
    docs: {
      state: "`healthy`, `healing`, `degraded`, `split-brain`, `stopped` or `unknown`.",
      bricksOnline: "Bricks whose process is online.",
      bricksTotal: "Bricks of the volume.",
      offlineBricks: "`host:path` of each brick that is not online.",
      pendingHeal:
        "Entries waiting for self-heal, summed over the bricks (absent when it could not be read).",
      splitBrain: "Entries in split-brain, summed over the bricks (absent when it could not be read).",
      problems: "What could not be read, and why.",
    },
  },
  TagRule: {
    schema: tagRuleSchema,
    description: "A rule on device tags (node tags overlaid by device tags).",
    docs: { key: "Tag name.", value: "Tag value.", negate: "Match devices whose tag is not this value." },
  },
  TopologyNode: {
    schema: topologyNodeSchema,
    description: "A node as the cluster's topology describes it.",
    docs: {
      manageAddress: "Manage hostname or address of the node.",
      storageAddress: "Storage address of the node.",
      zone: "Failure domain.",
      tags: "Node tags.",
      connection: "How to reach the node.",
      devices: "The node's devices.",
    },
  },
  DeviceSpec: {
    schema: topologyNodeSchema.shape.devices.element,
    description: "A device as the cluster's topology describes it.",
    docs: { path: "Device path, e.g. /dev/vdb.", tags: "Device tags." },
  },
  Member: {
    schema: memberSchema,
    description: "Another member of the pool.",
    docs: {
      manageAddress: "Manage hostname or address.",
      storageAddress: "Storage address.",
      connection: "How to reach it.",
    },
  },
  ClusterPolicy: {
    schema: clusterPolicySchema,
    description: "A cluster's id and volume policy.",
    docs: registry.cluster.docs,
  },
  NodeCredentials: {
    schema: nodeCredentialsSchema,
    description: "The secret fields of one node's connection, and of its jump host's.",
    docs: {
      password: proxyDocs.password,
      privateKey: proxyDocs.privateKey,
      privateKeyPassword: proxyDocs.privateKeyPassword,
      proxy: "The jump host's secret fields.",
    },
  },
  ProxyCredentials: {
    schema: nodeCredentialsSchema.shape.proxy.unwrap(),
    description: "The secret fields of a jump host's connection.",
    docs: {
      password: proxyDocs.password,
      privateKey: proxyDocs.privateKey,
      privateKeyPassword: proxyDocs.privateKeyPassword,
    },
  },
};

/** Stack configuration (`glusterfs:<name>`), read by the provider's configure. */
const config: Record<string, { description: string; secret: boolean }> = {
  privateKey: { description: "Default SSH private key for every node.", secret: true },
  password: { description: "Default SSH password for every node.", secret: true },
  privateKeyPassword: { description: "Passphrase of the default private key.", secret: true },
  knownHostsFile: {
    description:
      "File where host keys are recorded on first use and checked afterwards (a leading `~/` is the home directory). Default: `~/.ssh/known_hosts` of the user running Pulumi.",
    secret: false,
  },
};

const typeToken = (name: string) => `${PACKAGE}:index:${name}`;

/** zod's metadata registry naming the shared types, so the JSON Schema export refers to them. */
function typeRegistry() {
  const reg = z.registry<{ id: string }>();
  for (const [id, t] of Object.entries(namedTypes)) reg.add(t.schema, { id });
  return reg;
}

/** The JSON Schema of each property of an object schema (a named type of its own is a `$ref`). */
function jsonProperties(
  shape: Record<string, z.ZodType>,
  io: "input" | "output",
  defs: Map<string, Json>,
): { properties: Record<string, Json>; required: string[] } {
  const wrapper = z.object(shape);
  const json = z.toJSONSchema(wrapper, { metadata: typeRegistry(), io, unrepresentable: "any" }) as Json;
  for (const [id, def] of Object.entries((json.$defs ?? {}) as Record<string, Json>)) defs.set(id, def);
  return {
    properties: (json.properties ?? {}) as Record<string, Json>,
    required: (json.required ?? []) as string[],
  };
}

/** A JSON Schema (as zod writes it) as a Pulumi type reference. */
function pulumiType(json: Json, where: string): Json {
  if (typeof json.$ref === "string") {
    const id = json.$ref.replace(/^#\/\$defs\//, "");
    return { $ref: `#/types/${typeToken(id)}` };
  }
  const type = json.type;
  if (Array.isArray(type)) return { oneOf: type.map((t) => ({ type: t })) };
  const union = (json.anyOf ?? json.oneOf) as Json[] | undefined;
  if (union) return { oneOf: union.map((u, i) => pulumiType(u, `${where}|${i}`)) };
  switch (type) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
      return { type };
    case "array":
      return { type: "array", items: pulumiType(json.items as Json, `${where}[]`) };
    case "object":
      if (json.properties)
        throw new Error(`${where}: an object type inside a property needs a name (add it to namedTypes)`);
      return {
        type: "object",
        ...(json.additionalProperties && typeof json.additionalProperties === "object"
          ? { additionalProperties: pulumiType(json.additionalProperties as Json, `${where}{}`) }
          : {}),
      };
    default:
      throw new Error(`${where}: no Pulumi type for ${JSON.stringify(json)}`);
  }
}

/** A property: its type, description, default (when a plain value) and marks. */
function property(
  json: Json,
  where: string,
  description: string | undefined,
  marks: { secret?: boolean; willReplaceOnChanges?: boolean } = {},
): Json {
  if (!description) throw new Error(`${where}: no description (add it to the declaration's docs)`);
  const d = json.default;
  return {
    ...pulumiType(json, where),
    description,
    ...(typeof d === "string" || typeof d === "number" || typeof d === "boolean" ? { default: d } : {}),
    ...(marks.secret ? { secret: true } : {}),
    ...(marks.willReplaceOnChanges ? { willReplaceOnChanges: true } : {}),
  };
}

function resourceSpec(decl: AnyDeclaration, defs: Map<string, Json>): Json {
  const token = tokenOf(decl.kind);
  const shape: Record<string, z.ZodType> = { ...decl.inputs.shape };
  if (decl.secretInputs.includes(CREDENTIALS)) shape[CREDENTIALS] = credentialsSchema.optional();
  const inputs = jsonProperties(shape, "input", defs);
  const outputs = jsonProperties(decl.outputs.shape, "output", defs);
  const prop = (name: string, json: Json) =>
    property(json, `${token}.${name}`, decl.docs[name], {
      secret: decl.secretInputs.includes(name),
      willReplaceOnChanges: decl.replaceOnChanges.includes(name),
    });
  const inputProperties = Object.fromEntries(
    Object.entries(inputs.properties).map(([name, json]) => [name, prop(name, json)]),
  );
  const outputProperties = Object.fromEntries(
    Object.entries(outputs.properties).map(([name, json]) => [name, prop(name, json)]),
  );
  return {
    description: decl.description,
    inputProperties,
    requiredInputs: inputs.required,
    properties: { ...inputProperties, ...outputProperties },
    required: [...new Set([...inputs.required, ...outputs.required])].sort(),
  };
}

function objectTypeSpec(id: string, def: Json): Json {
  const t = namedTypes[id];
  if (!t) throw new Error(`type ${id}: not a named type`);
  const properties = Object.fromEntries(
    Object.entries((def.properties ?? {}) as Record<string, Json>).map(([name, json]) => [
      name,
      property(json, `${id}.${name}`, t.docs[name], { secret: SECRET.has(name) }),
    ]),
  );
  const required = (def.required ?? []) as string[];
  return {
    type: "object",
    description: t.description,
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

/** The package schema (what schema.json holds). */
export function packageSchema(meta: { version: string; pulumiVersion: string }): Json {
  const defs = new Map<string, Json>();
  const resources = Object.fromEntries(
    RESOURCE_KINDS.map((kind) => [tokenOf(kind), resourceSpec(registry[kind], defs)]),
  );
  // A type used only inside another type appears in that type's $defs once it is converted.
  for (let grown = true; grown;) {
    grown = false;
    for (const id of Object.keys(namedTypes)) {
      if (defs.has(id)) {
        const before = defs.size;
        jsonProperties((namedTypes[id]!.schema as z.ZodObject).shape, "input", defs);
        grown ||= defs.size > before;
      }
    }
  }
  const types = Object.fromEntries(
    [...defs.entries()]
      .sort(([a], [b]) => Object.keys(namedTypes).indexOf(a) - Object.keys(namedTypes).indexOf(b))
      .map(([id, def]) => [typeToken(id), objectTypeSpec(id, def)]),
  );
  const variables = Object.fromEntries(
    Object.entries(config).map(([name, v]) => [
      name,
      { type: "string", description: v.description, ...(v.secret ? { secret: true } : {}) },
    ]),
  );
  return {
    name: PACKAGE,
    displayName: "GlusterFS",
    version: meta.version,
    description:
      "GlusterFS storage as code: trusted storage pools, devices and volumes on LVM thin bricks, planned in preview and applied over SSH.",
    keywords: ["glusterfs", "storage", "heketi", "lvm", "category/infrastructure"],
    license: "Apache-2.0",
    meta: { moduleFormat: "(.*)" },
    config: { variables },
    provider: {
      description: "The glusterfs provider: stack-wide SSH defaults for every node.",
      inputProperties: variables,
    },
    types,
    resources,
    language: {
      nodejs: {
        packageName: "pulumi-glusterfs",
        dependencies: { "@pulumi/pulumi": `^${meta.pulumiVersion}` },
      },
    },
  };
}
