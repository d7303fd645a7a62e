// The resource model: zod schemas are the one source of the inputs' and outputs' types.
// schema.json describes the same properties; test/unit/model-schema.test.ts keeps them in step.
import { z } from "zod";
import { HOST_KEY_FORM, parseHostKey } from "./hostkey";

/** Any value that reaches a remote shell is validated by a pattern first (then quoted). */
const hostPattern = /^[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})$/;
export const hostName = z
  .string()
  .regex(hostPattern, "must be a hostname or IP address (letters, digits, '.', ':', '-')");
export const devicePath = z
  .string()
  .regex(/^\/dev\/[A-Za-z0-9][A-Za-z0-9/_.-]{0,127}$/, "must be a device path such as /dev/vdb");
export const tagMap = z.record(
  z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "tag names use letters, digits, '_', '.', '-'"),
  z.string().regex(/^[A-Za-z0-9_.:/=+-]{0,128}$/, "tag values use letters, digits and _ . : / = + -"),
);
export const clusterIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "must start with a lowercase letter and use a-z, 0-9, '-' (at most 31)");
export const volumeNameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    "must start with a letter and use letters, digits, '_' and '-' (at most 64 characters)",
  );

/** A pinned host key: refused in preview when malformed, rather than failing every dial. */
export const hostKeySchema = z.string().superRefine((text, ctx) => {
  const parsed = parseHostKey(text);
  if (!parsed.ok)
    ctx.addIssue({ code: "custom", message: `must be a public host key, ${HOST_KEY_FORM}: ${parsed.error}` });
});

export const proxyConnectionSchema = z.object({
  host: hostName,
  port: z.number().int().min(1).max(65535).optional(),
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_.-]{0,31}$/)
    .optional(),
  password: z.string().optional(),
  privateKey: z.string().optional(),
  privateKeyPassword: z.string().optional(),
  agentSocketPath: z.string().optional(),
  dialErrorLimit: z.number().int().min(1).max(100).optional(),
  perDialTimeout: z.number().int().min(1).max(600).optional(),
  hostKey: hostKeySchema.optional(),
});
export const connectionSchema = proxyConnectionSchema.partial({ host: true }).extend({
  sudo: z.boolean().optional(),
  proxy: proxyConnectionSchema.optional(),
});
export type Connection = z.infer<typeof connectionSchema>;
export type ProxyConnection = z.infer<typeof proxyConnectionSchema>;

/** The secret fields of a connection: never logged, never in plain state. */
export const connectionSecretFields = ["password", "privateKey", "privateKeyPassword"] as const;

export const zoneCheckingSchema = z.enum(["strict", "prefer", "none"]);
export const expandModeSchema = z.enum(["add-sets", "grow"]);

export const clusterInputsSchema = z.object({
  clusterId: clusterIdSchema,
  zoneChecking: zoneCheckingSchema.default("strict"),
  brickRoot: z
    .string()
    .regex(/^\/[A-Za-z0-9/_.-]{1,200}$/, "must be an absolute path of letters, digits, '/', '_', '.', '-'")
    .default("/var/lib/glusterfs-bricks"),
  minBrickSize: z.number().positive().optional(),
  maxBrickSize: z.number().positive().optional(),
  maxBricksPerVolume: z.number().int().positive().optional(),
  expandMode: expandModeSchema.default("add-sets"),
});
export type ClusterInputs = z.infer<typeof clusterInputsSchema>;

/** Another member of the pool, for peer probe and detach. */
export const memberSchema = z.object({
  manageAddress: hostName,
  storageAddress: hostName,
  connection: connectionSchema,
});
export type Member = z.infer<typeof memberSchema>;

export const nodeInputsSchema = z.object({
  clusterId: clusterIdSchema,
  manageAddress: hostName,
  storageAddress: hostName,
  zone: z.number().int().min(0).default(1),
  tags: tagMap.default({}),
  connection: connectionSchema,
  /** Nodes declared before this one; the first reachable one probes this node into the pool. */
  members: z.array(memberSchema).default([]),
});
export type NodeInputs = z.infer<typeof nodeInputsSchema>;

export const deviceInputsSchema = z.object({
  clusterId: clusterIdSchema,
  node: hostName,
  path: devicePath,
  tags: tagMap.default({}),
  wipe: z.boolean().default(false),
  connection: connectionSchema,
});
export type DeviceInputs = z.infer<typeof deviceInputsSchema>;

export const topologyNodeSchema = z.object({
  manageAddress: hostName,
  storageAddress: hostName,
  zone: z.number().int().min(0),
  tags: tagMap.default({}),
  connection: connectionSchema,
  devices: z.array(z.object({ path: devicePath, tags: tagMap.default({}) })),
});
export type TopologyNode = z.infer<typeof topologyNodeSchema>;

export const durabilitySchema = z
  .object({
    type: z.enum(["replicate", "disperse", "distribute"]).default("replicate"),
    replica: z.number().int().optional(),
    arbiter: z.boolean().optional(),
    disperseData: z.number().int().optional(),
    disperseRedundancy: z.number().int().optional(),
  })
  .default({ type: "replicate" });
export type Durability = z.infer<typeof durabilitySchema>;

export const brickSchema = z.object({
  id: z.string().regex(/^s\d+b\d+$/),
  node: hostName,
  storage: hostName,
  zone: z.number().int(),
  device: devicePath,
  set: z.number().int().min(0),
  index: z.number().int().min(0),
  role: z.enum(["data", "arbiter"]),
  size: z.number().positive(),
  poolSize: z.number().positive(),
  metadataSize: z.number().positive(),
  path: z.string(),
});
export type Brick = z.infer<typeof brickSchema>;

export const tagRuleSchema = z.object({
  key: z.string(),
  value: z.string(),
  negate: z.boolean().optional(),
});

export const volumeInputsSchema = z.object({
  cluster: clusterInputsSchema,
  topology: z.array(topologyNodeSchema).min(1, "the cluster has no nodes: declare Nodes before the Volume"),
  name: volumeNameSchema,
  /** The one Volume resource owning the volume ("project/stack/resource"; the SDK sets it). */
  owner: z
    .string()
    .regex(/^[A-Za-z0-9_.]/, "must start with a letter, digit, '_' or '.'")
    .max(400)
    .refine((s) => ![...s].some((c) => c < " " || c === "\x7f"), "must not contain control characters")
    .optional(),
  size: z.union([z.string(), z.number()]),
  durability: durabilitySchema,
  snapshotFactor: z.number().min(1).max(100).default(1),
  gid: z.number().int().min(0).max(4294967294).optional(),
  options: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_.-]{0,127}$/, "Gluster option names are dotted lowercase words"),
      z.string().max(1024),
    )
    .default({}),
  zoneChecking: zoneCheckingSchema.optional(),
  tagMatch: z.array(tagRuleSchema).default([]),
  averageFileSize: z.union([z.string(), z.number()]).optional(),
  expandMode: expandModeSchema.optional(),
  bricks: z.array(brickSchema).optional(),
});
export type VolumeInputs = z.infer<typeof volumeInputsSchema>;

export const volumeOutputsSchema = z.object({
  volumeId: z.string(),
  mountSource: z.string(),
  backupVolfileServers: z.array(z.string()),
  mountOptions: z.string(),
  status: z.string(),
});
export type VolumeOutputs = z.infer<typeof volumeOutputsSchema>;
