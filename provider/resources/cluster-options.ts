// ClusterOptions: a GlusterCluster's cluster-wide settings (`gluster volume set all`). They live
// on the pool's nodes, so this resource comes after the nodes (the SDK makes it depend on them)
// and goes before them: create and update set what differs, refresh reads the values back (a
// key reset or changed outside Pulumi shows as drift), delete resets what it set.
import { z } from "zod";
import {
  type ClusterOptionsInputs,
  CLUSTER_OPTIONS,
  clusterOptionsInputsSchema,
} from "../core/cluster-options";
import * as node from "../node";
import { CREDENTIALS, CREDENTIALS_DOC } from "./credentials";
import { declare } from "./declaration";
import type { Deps } from "./deps";
import { type Inputs, sameValue } from "./handler";

function parse(inputs: Inputs): ClusterOptionsInputs {
  return clusterOptionsInputsSchema.parse(inputs);
}

/**
 * Runs `fn` on the first member that can do it: glusterd shares these options with every peer,
 * so any member will do. Every member failing reports each one's error.
 */
async function onAnyMember<R>(
  deps: Deps,
  c: ClusterOptionsInputs,
  what: string,
  fn: (exec: ReturnType<Deps["executorFor"]>) => Promise<R>,
): Promise<R> {
  const errors: string[] = [];
  for (const member of c.members) {
    try {
      return await fn(deps.executorFor(member));
    } catch (err) {
      errors.push(`${member.manageAddress}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(
    `cluster ${c.clusterId}: ${what} failed on every node (${errors.join("; ")}). ` +
      `The resource stays as it was; bring a node of the pool back (glusterd running, SSH reachable) and run the command again.`,
  );
}

export const clusterOptions = declare({
  kind: "clusterOptions",
  description:
    "The cluster-wide Gluster settings of a GlusterCluster (`gluster volume set all`), applied through any node of its pool. The SDK's GlusterCluster makes it from its `options`.",
  inputs: clusterOptionsInputsSchema,
  outputs: z.object({}),
  replaceOnChanges: [],
  deleteBeforeReplace: false,
  secretInputs: [CREDENTIALS],
  docs: {
    clusterId: "Id of the GlusterCluster the settings belong to.",
    options:
      `Cluster-wide Gluster options by full name, e.g. \`cluster.brick-multiplex: on\`. Only keys \`gluster volume set all\` takes: ${Object.keys(CLUSTER_OPTIONS).join(", ")}. ` +
      "Removing a key resets it to Gluster's default.",
    members:
      "The cluster's nodes (filled in by the SDK); the first that answers applies and reads the settings.",
    [CREDENTIALS]: CREDENTIALS_DOC,
  },

  async diff(_deps, olds, news) {
    // Which nodes are asked changes nothing on the pool; only the options do.
    return { changes: !sameValue(olds.options, news.options) };
  },

  async create(deps, raw) {
    const c = parse(raw);
    await onAnyMember(deps, c, "setting cluster-wide options", (exec) =>
      node.setClusterOptions(exec, c.options),
    );
    return { id: c.clusterId, outs: raw };
  },

  async read(deps, id, state) {
    const c = parse(state);
    const live = await onAnyMember(deps, c, "reading cluster-wide options", (exec) =>
      node.readClusterOptions(exec),
    );
    // The keys this resource manages, as the pool has them now: a key reset outside Pulumi
    // drops out (the next `up` sets it again), a changed value shows as it is.
    const options: Record<string, string> = {};
    for (const key of Object.keys(c.options)) if (live[key] !== undefined) options[key] = live[key];
    const props = { ...state, options };
    return { id, props, inputs: props };
  },

  async update(deps, _id, olds, news) {
    const before = parse(olds);
    const after = parse(news);
    const removed = Object.keys(before.options).filter((k) => !(k in after.options));
    await onAnyMember(deps, after, "applying cluster-wide options", async (exec) => {
      // Every declared key is compared with the node (only differing ones are set), so a value
      // changed outside Pulumi is put back even without a refresh.
      if (Object.keys(after.options).length > 0) await node.setClusterOptions(exec, after.options);
      if (removed.length > 0) await node.resetClusterOptions(exec, removed);
    });
    return { outs: news };
  },

  async delete(deps, _id, state) {
    const c = parse(state);
    const keys = Object.keys(c.options);
    if (keys.length === 0) return;
    await onAnyMember(deps, c, "resetting cluster-wide options", (exec) =>
      node.resetClusterOptions(exec, keys),
    );
  },
});
