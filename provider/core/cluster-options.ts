// Cluster-wide Gluster settings: the options `gluster volume set all KEY VALUE` takes. Gluster
// keeps them in glusterd's own store on every pool member (not on any volume) and refuses them on
// a single volume, as it refuses volume options for `all`. Which keys exist, what each accepts,
// and which of them this provider will not manage (and why) is decided here, so preview refuses
// what `up` could not do or undo. The keys and accepted values are Gluster 10's (glusterd's table
// of options valid for all volumes, and the checks `volume set all` makes).
import { z } from "zod";
import { clusterIdSchema, memberSchema } from "./model";
import { optionValueRule } from "./names";

/** How a value is checked: Gluster's own words for what it accepts, and a test. */
interface ValueKind {
  accepts: string;
  test(value: string): boolean;
}

/** gf_string2boolean's words (glusterd reads these options with it, case-insensitively). */
const BOOLEAN: ValueKind = {
  accepts: "a boolean: on or off (also enable/disable, true/false, yes/no, 1/0)",
  test: (v) => /^(on|off|enable|disable|true|false|yes|no|1|0)$/i.test(v),
};
/** Values glusterd compares as written (`enable`/`disable` exactly). */
const ENABLE: ValueKind = {
  accepts: "enable or disable",
  test: (v) => v === "enable" || v === "disable",
};
const count = (min: number, max: number, what: string): ValueKind => ({
  accepts: `${what}: a whole number from ${min} to ${max}`,
  test: (v) => /^[0-9]{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max,
});

export interface ClusterOptionSpec {
  /** Gluster's default, shown as `<default> (DEFAULT)` by `volume get all` while the key is unset. */
  default: string;
  value: ValueKind;
  /**
   * Applied before the others when several change at once (and reset after them): glusterd
   * checks `cluster.max-bricks-per-process` against multiplexing being on.
   */
  first?: boolean;
}

/** The cluster-wide options this provider manages, by full name. */
export const CLUSTER_OPTIONS: Readonly<Record<string, ClusterOptionSpec>> = {
  "cluster.brick-multiplex": { default: "disable", value: BOOLEAN, first: true },
  "cluster.max-bricks-per-process": {
    default: "250",
    value: count(0, 100000, "bricks per brick process, 0 for no limit"),
  },
  "cluster.server-quorum-ratio": {
    default: "51",
    value: {
      accepts: "a percentage from 0 to 100, e.g. 51 or 51%",
      test: (v) => /^[0-9]{1,3}(\.[0-9]+)?%?$/.test(v) && Number(v.replace(/%$/, "")) <= 100,
    },
  },
  "cluster.localtime-logging": { default: "disable", value: ENABLE },
  "cluster.daemon-log-level": {
    default: "INFO",
    value: {
      accepts: "INFO, WARNING, ERROR, DEBUG or TRACE (upper case)",
      test: (v) => ["INFO", "WARNING", "ERROR", "DEBUG", "TRACE"].includes(v),
    },
  },
  "cluster.brick-graceful-cleanup": { default: "disable", value: BOOLEAN },
  "glusterd.vol_count_per_thread": { default: "100", value: count(5, 200, "volumes per glusterd thread") },
};

/** Cluster-wide keys Gluster has that this provider refuses to manage, and what to do instead. */
const UNMANAGED: Readonly<Record<string, string>> = {
  "cluster.op-version":
    "is a one-way upgrade step, not a setting: Gluster can neither lower nor reset it. Run " +
    "`gluster volume set all cluster.op-version N` once every node runs the new release " +
    "(N is what `gluster volume get all cluster.max-op-version` prints), and remove it from `options`",
  "cluster.max-op-version":
    "is read-only (the highest op-version every node supports); remove it from `options`",
  "cluster.enable-shared-storage":
    "creates and deletes a whole Gluster volume (gluster_shared_storage) through glusterd's hook scripts, " +
    "outside what this provider marks as its own, and resetting it would not remove that volume; manage it " +
    "with `gluster volume set all cluster.enable-shared-storage enable|disable` and remove it from `options`",
};

/** Keys in the order they are applied: multiplexing first (see `first`), then by name. */
export function applyOrder(keys: readonly string[]): string[] {
  const first = (k: string) => (CLUSTER_OPTIONS[k]?.first ? 0 : 1);
  return [...keys].sort((a, b) => first(a) - first(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Why `key` cannot be a cluster-wide option here, as "the key K ...; fix", or undefined. */
export function clusterOptionKeyRefusal(key: string): string | undefined {
  if (CLUSTER_OPTIONS[key]) return undefined;
  const known = Object.keys(CLUSTER_OPTIONS).join(", ");
  const unmanaged = UNMANAGED[key];
  if (unmanaged) return `the key ${JSON.stringify(key)} ${unmanaged}`;
  return (
    `the key ${JSON.stringify(key)} is not a cluster-wide Gluster option (\`gluster volume set all\` takes ` +
    `only: ${known}); set a volume option on the Volume's \`options\` instead`
  );
}

/** Why `value` is refused for `key` (a managed key), as "the value V ...; fix", or undefined. */
export function clusterOptionValueRefusal(key: string, value: string): string | undefined {
  const shape = optionValueRule(value);
  if (shape) return `the value ${JSON.stringify(value)} ${shape.why}; ${shape.fix}`;
  const spec = CLUSTER_OPTIONS[key];
  if (spec && !spec.value.test(value))
    return `the value ${JSON.stringify(value)} is not one ${key} takes; give ${spec.value.accepts} (Gluster's default is ${spec.default})`;
  return undefined;
}

/**
 * The `options` of a GlusterCluster: cluster-wide keys only, values as each key accepts them.
 * A refusal names the field (`options.KEY`), the value and the fix.
 */
export const clusterOptionsSchema = z.record(z.string(), z.string()).superRefine((options, ctx) => {
  for (const [key, value] of Object.entries(options)) {
    const reason = clusterOptionKeyRefusal(key) ?? clusterOptionValueRefusal(key, value);
    if (reason) ctx.addIssue({ code: "custom", path: [key], message: reason, params: { plain: true } });
  }
});
export type ClusterOptions = z.infer<typeof clusterOptionsSchema>;

/**
 * The ClusterOptions resource's inputs: the options, and the pool members to apply them through
 * (any one that answers will do; the SDK lists the GlusterCluster's nodes in declaration order).
 */
export const clusterOptionsInputsSchema = z.object({
  clusterId: clusterIdSchema,
  options: clusterOptionsSchema,
  members: z
    .array(memberSchema)
    .min(1, "the cluster has no nodes: declare Nodes for the GlusterCluster whose `options` are set"),
});
export type ClusterOptionsInputs = z.infer<typeof clusterOptionsInputsSchema>;
