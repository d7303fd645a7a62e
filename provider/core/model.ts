// The resource model: zod schemas are the one source of the inputs' and outputs' types.
// schema.json describes the same properties; test/unit/model-schema.test.ts keeps them in step.
//
// Every value that reaches a node is checked here by the same rule (provider/core/names.ts) the
// script builders assert later, so `check` refuses in preview whatever `up` would refuse.
import { z } from "zod";
import { HOST_KEY_FORM, parseHostKey } from "./hostkey";
import {
  brickPathRule,
  brickRootRule,
  clusterIdRule,
  devicePathRule,
  duplicateNodes,
  hostRule,
  LIMITS,
  optionValueRule,
  ownerRule,
  PATTERNS,
  type Rule,
  storageHostRule,
  tagKeyRule,
  tagValueRule,
  userOptionKeyRule,
  vgClash,
  volumeNameRule,
} from "./names";
import { DEFAULTS, EXPAND_MODES, REBALANCE_MODES, REBALANCE_STATES, ZONE_CHECKING_MODES } from "./defaults";
import { durabilityInputsSchema } from "./durability";
import { EXTENT, XFS_MIN_SIZE } from "./sizing";
import { formatSize } from "./units";

/**
 * A string checked by one of the shared rules. The issue carries the rule's reason and fix;
 * provider/resources/handler.ts `validate` puts the value between field and reason.
 */
export function ruled(rule: Rule) {
  return z.string().superRefine((value, ctx) => {
    const refusal = rule(value);
    // `continue: false`: the object-level checks (duplicates) run only when every value passed.
    if (refusal)
      ctx.addIssue({
        code: "custom",
        message: `${refusal.why}; ${refusal.fix}`,
        params: { refusal },
        continue: false,
      });
  });
}

/** Any value that reaches a remote shell is validated by a pattern first (then quoted). */
export const hostName = ruled(hostRule);
/** An address Gluster is given (peers, bricks): not loopback. */
export const storageHost = ruled(storageHostRule);
export const devicePath = ruled(devicePathRule);
/** Node and device tags, here and in topology.json: one rule for names and one for values (names.ts). */
export const tagMap = z.record(ruled(tagKeyRule), ruled(tagValueRule));
export const clusterIdSchema = ruled(clusterIdRule);
export const volumeNameSchema = ruled(volumeNameRule);
/** Failure domains: whole numbers (Heketi's topology.json starts them at 1; nothing here needs that). */
export const zoneSchema = z.number().int().min(0).max(LIMITS.zoneMax);
/** A whole number of bytes (what the builders and the planner take). */
const bytes = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

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
  /**
   * A private key file on the machine that runs pulumi, read when dialling: only the path is in
   * state, so a Volume or Device that dials with it carries no credential.
   */
  privateKeyPath: z.string().min(1).optional(),
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

export const zoneCheckingSchema = z.enum(ZONE_CHECKING_MODES);
export const expandModeSchema = z.enum(EXPAND_MODES);

export const clusterInputsSchema = z.object({
  clusterId: clusterIdSchema,
  zoneChecking: zoneCheckingSchema.default(DEFAULTS.zoneChecking),
  brickRoot: ruled(brickRootRule).default(DEFAULTS.brickRoot),
  minBrickSize: bytes
    .min(
      XFS_MIN_SIZE,
      `at least ${formatSize(XFS_MIN_SIZE)} (${XFS_MIN_SIZE} bytes), the smallest XFS mkfs accepts`,
    )
    .optional(),
  maxBrickSize: bytes.min(EXTENT, `at least one LVM extent (${EXTENT} bytes)`).optional(),
  /** The planner takes at least one set and at most 100000 bricks; the Volume's check compares with its set size. */
  maxBricksPerVolume: z.number().int().min(1).max(100000).optional(),
  expandMode: expandModeSchema.default(DEFAULTS.expandMode),
});
export type ClusterInputs = z.infer<typeof clusterInputsSchema>;

/** The cluster policy with its cross-field rules (the planner refuses a maximum below the minimum). */
export const clusterPolicySchema = clusterInputsSchema.superRefine((c, ctx) => {
  const min = c.minBrickSize ?? DEFAULTS.minBrickSize;
  if (c.maxBrickSize !== undefined && c.maxBrickSize < min)
    ctx.addIssue({
      code: "custom",
      path: ["maxBrickSize"],
      message: `must be at least the minimum brick size (${formatSize(min)}, ${min} bytes${c.minBrickSize === undefined ? ", the default" : ""})`,
    });
});

/** Another member of the pool, for peer probe and detach. */
export const memberSchema = z.object({
  manageAddress: hostName,
  storageAddress: storageHost,
  connection: connectionSchema,
});
export type Member = z.infer<typeof memberSchema>;

export const nodeInputsSchema = z.object({
  clusterId: clusterIdSchema,
  manageAddress: hostName,
  storageAddress: storageHost,
  zone: zoneSchema.default(DEFAULTS.zone),
  tags: tagMap.default({}),
  connection: connectionSchema,
  /** Nodes declared before this one; the first reachable one probes this node into the pool. */
  members: z.array(memberSchema).default([]),
});
export type NodeInputs = z.infer<typeof nodeInputsSchema>;

/** A node's inputs, refused when an earlier member is the same machine (declared twice). */
export const checkedNodeInputsSchema = nodeInputsSchema.superRefine((n, ctx) => {
  // The node comes last, so a clash names the member it repeats.
  for (const d of duplicateNodes([...n.members, n], (i) => `members.${i}`).filter(
    (d) => d.index === n.members.length,
  ))
    ctx.addIssue({ code: "custom", path: [d.field], message: d.message, params: { plain: true } });
});

export const deviceInputsSchema = z.object({
  clusterId: clusterIdSchema,
  node: hostName,
  path: devicePath,
  tags: tagMap.default({}),
  wipe: z.boolean().default(DEFAULTS.wipe),
  connection: connectionSchema,
});
export type DeviceInputs = z.infer<typeof deviceInputsSchema>;

export const topologyNodeSchema = z.object({
  manageAddress: hostName,
  storageAddress: storageHost,
  zone: zoneSchema,
  tags: tagMap.default({}),
  connection: connectionSchema,
  devices: z.array(z.object({ path: devicePath, tags: tagMap.default({}) })),
});
export type TopologyNode = z.infer<typeof topologyNodeSchema>;

/** The Volume's `durability` input: built from the durability registry (provider/core/durability). */
export const durabilitySchema = durabilityInputsSchema;
export type DurabilityInputs = z.infer<typeof durabilitySchema>;

export const brickSchema = z.object({
  id: z.string().regex(PATTERNS.brickId),
  node: hostName,
  storage: storageHost,
  zone: zoneSchema,
  device: devicePath,
  set: z.number().int().min(0).max(LIMITS.brickIndexMax),
  index: z.number().int().min(0).max(LIMITS.brickIndexMax),
  role: z.enum(["data", "arbiter"]),
  size: bytes,
  poolSize: bytes,
  metadataSize: bytes,
  path: ruled(brickPathRule),
});
export type Brick = z.infer<typeof brickSchema>;

export const tagRuleSchema = z.object({
  key: ruled(tagKeyRule),
  value: ruled(tagValueRule),
  negate: z.boolean().optional(),
});

export const volumeInputsSchema = z.object({
  cluster: clusterPolicySchema,
  topology: z
    .array(topologyNodeSchema)
    .min(1, "the cluster has no nodes: declare at least one Node (with a Device) in the Volume's cluster"),
  name: volumeNameSchema,
  /** The one Volume resource owning the volume ("project/stack/resource"; the SDK sets it). */
  owner: ruled(ownerRule).optional(),
  size: z.union([z.string(), z.number()]),
  durability: durabilitySchema,
  snapshotFactor: z.number().min(1).max(100).default(DEFAULTS.snapshotFactor),
  gid: z.number().int().min(0).max(LIMITS.gidMax).optional(),
  options: z.record(ruled(userOptionKeyRule), ruled(optionValueRule)).default({}),
  zoneChecking: zoneCheckingSchema.optional(),
  tagMatch: z.array(tagRuleSchema).default([]),
  averageFileSize: z.union([z.string(), z.number()]).optional(),
  expandMode: expandModeSchema.optional(),
  /** Left out of the inputs unless given (default DEFAULTS.rebalance), so older states show no change. */
  rebalance: z.enum(REBALANCE_MODES).optional(),
  bricks: z.array(brickSchema).optional(),
});
export type VolumeInputs = z.infer<typeof volumeInputsSchema>;

/** A volume's inputs with the checks that need the whole topology: no node or volume group twice. */
export const checkedVolumeInputsSchema = volumeInputsSchema.superRefine((v, ctx) => {
  for (const d of duplicateNodes(v.topology, (i) => `topology.${i}`))
    ctx.addIssue({
      code: "custom",
      path: ["topology", d.index, d.field],
      message: d.message,
      params: { plain: true },
    });
  v.topology.forEach((n, ni) => {
    const clash = vgClash(
      n.devices.map((d) => d.path),
      v.cluster.clusterId,
    );
    if (clash)
      ctx.addIssue({
        code: "custom",
        path: ["topology", ni, "devices", clash.index, "path"],
        message: clash.message,
        params: { plain: true },
      });
  });
});

/** A volume's health as refresh reads it (provider/node/health.ts says how each field is counted). */
export const volumeHealthSchema = z.object({
  state: z.enum(["healthy", "healing", "degraded", "split-brain", "stopped", "unknown"]),
  bricksOnline: z.number().int(),
  bricksTotal: z.number().int(),
  offlineBricks: z.array(z.string()),
  pendingHeal: z.number().int().optional(),
  splitBrain: z.number().int().optional(),
  problems: z.array(z.string()),
});
export type VolumeHealth = z.infer<typeof volumeHealthSchema>;

export const volumeOutputsSchema = z.object({
  volumeId: z.string(),
  mountSource: z.string(),
  backupVolfileServers: z.array(z.string()),
  mountOptions: z.string(),
  status: z.string(),
  /** Read on refresh only; absent in state written by create/update until the next refresh. */
  health: volumeHealthSchema.optional(),
  /** Set by create, update and refresh; absent in state written before it existed. */
  rebalanceStatus: z.enum(REBALANCE_STATES).optional(),
});
export type VolumeOutputs = z.infer<typeof volumeOutputsSchema>;
