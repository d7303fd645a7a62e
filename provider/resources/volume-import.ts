// Reading a Volume back from the nodes with nothing but its import ID (what `pulumi import` and the
// `import` resource option give the native plugin): the cluster's nodes are asked what they hold,
// and the inputs a program declaring the same volume would check to are rebuilt from it, so that
// program previews with no changes. Only volumes this provider made (owner marker on the volume,
// owner tag on every brick) are read back here; Heketi's and hand-made volumes need a later step.
import { ValidationError } from "../core/errors";
import {
  clusterPolicySchema,
  connectionSchema,
  type DurabilityInputs,
  volumeInputsSchema,
} from "../core/model";
import { OWNER_OPTION, TAG, brickDirPath } from "../core/names";
import type { GlusterVolumeInfo, NodeInventory } from "../node";
import type { Deps } from "./deps";
import type { Inputs } from "./handler";
import { volume } from "./volume";
import { capacityOf, requestOf } from "./volume-plan";
import { surveyVolume } from "./volume-survey";

export const VOLUME_IMPORT_ID = "<clusterId>/<volume>@<node>[,<node>...]";

export interface VolumeImportId {
  clusterId: string;
  name: string;
  /** Manage addresses of the cluster's nodes, reached with the stack's default credentials. */
  nodes: string[];
}

/** `lab/data@10.0.0.1,10.0.0.2,10.0.0.3`: the cluster id, the volume name, every node of the cluster. */
export function parseVolumeImportId(id: string): VolumeImportId {
  const m = /^([^/@]+)\/([^/@]+)@(.+)$/.exec(id);
  const nodes = m ? m[3]!.split(",").map((n) => n.trim()) : [];
  if (!m || nodes.some((n) => n === ""))
    throw new ValidationError(
      "id",
      id,
      `an import ID of the form ${VOLUME_IMPORT_ID}`,
      "name the cluster, the volume and the manage address of every node of the cluster, e.g. lab/data@10.0.0.1,10.0.0.2,10.0.0.3",
    );
  return { clusterId: m[1]!, name: m[2]!, nodes };
}

/** Gluster's layout of a volume as the Volume's `durability` input says it. */
export function durabilityOf(live: GlusterVolumeInfo): DurabilityInputs {
  if (live.disperseCount > 0)
    return {
      type: "disperse",
      disperseData: live.disperseCount - live.redundancyCount,
      disperseRedundancy: live.redundancyCount,
    } as DurabilityInputs;
  if (live.replicaCount > 1)
    return {
      type: "replicate",
      replica: live.replicaCount,
      ...(live.arbiterCount > 0 ? { arbiter: true } : {}),
    } as DurabilityInputs;
  return { type: "distribute" } as DurabilityInputs;
}

/**
 * Options Gluster sets on every volume by itself (and the provider's markers): not the program's,
 * so not imported as inputs.
 */
const NOT_DECLARED =
  /^(user\.glusterfs-provider\.|transport\.address-family$|storage\.fips-mode-rchecksum$|nfs\.disable$|performance\.client-io-threads$|cluster\.granular-entry-heal$)/;

/** A size as a program would write it: whole GiB or MiB when it is one, else bytes. */
function sizeText(bytes: number): string | number {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}Gi`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}Mi`;
  return bytes;
}

/**
 * The Volume's state and inputs, read from the nodes the ID names; `{}` when no node's glusterd
 * knows a volume of that name (the engine then says the resource does not exist).
 */
export async function importVolume(
  deps: Deps,
  id: string,
): Promise<{ id?: string; props?: Inputs; inputs?: Inputs }> {
  const target = parseVolumeImportId(id);
  // Every node at once: one round trip's wait, not one per node.
  const inventories = new Map<string, NodeInventory>(
    await Promise.all(
      target.nodes.map(
        async (address) =>
          [
            address,
            await deps.inventory({
              manageAddress: address,
              connection: connectionSchema.parse({ host: address }),
            }),
          ] as const,
      ),
    ),
  );
  let live: GlusterVolumeInfo | undefined;
  for (const inv of inventories.values()) live ??= inv.volumes?.find((v) => v.name === target.name);
  if ([...inventories.values()].every((inv) => inv.volumes === undefined))
    throw new Error(`import ${id}: glusterd answered on no node of ${target.nodes.join(", ")}`);
  if (!live) return {};
  const owner = live.options[OWNER_OPTION];
  if (!owner)
    throw new Error(
      `import ${id}: volume ${target.name} carries no owner marker (${OWNER_OPTION}): it was not made by ` +
        `this provider (or by a version before owner markers). Adopting Heketi's and hand-made volumes is not supported yet; nothing was changed.`,
    );
  // Where each brick is mounted: `<brickRoot>/<volume>/<brick id>/brick`.
  const first = live.bricks[0]?.path ?? "";
  const suffix = new RegExp(`/${target.name}/s\\d+b\\d+/brick$`);
  const brickRoot = suffix.test(first) ? first.replace(suffix, "") : undefined;
  const topology = target.nodes.map((address, i) => {
    const inv = inventories.get(address)!;
    const mounts = new Set(inv.mounts.map((m) => brickDirPath(m.target)));
    const held = live.bricks.find((b) => mounts.has(b.path));
    const devices = inv.vgs
      .filter((g) => g.tags[TAG.cluster] === target.clusterId && g.tags[TAG.device])
      .map((g) => ({ path: g.tags[TAG.device]!, tags: {} }))
      .sort((a, b) => a.path.localeCompare(b.path));
    // Zones are not recorded on the nodes: each node its own zone (brick records keep what was planned).
    return {
      manageAddress: address,
      storageAddress: held?.host ?? inv.hostname,
      zone: i + 1,
      tags: {},
      connection: {},
      devices,
    };
  });
  const options = Object.fromEntries(Object.entries(live.options).filter(([k]) => !NOT_DECLARED.test(k)));
  const draft = volumeInputsSchema.parse({
    cluster: clusterPolicySchema.parse({ clusterId: target.clusterId, ...(brickRoot ? { brickRoot } : {}) }),
    topology,
    name: target.name,
    owner,
    size: 1,
    durability: durabilityOf(live),
    options,
  });
  const survey = await surveyVolume(deps, draft, true);
  const bricks = survey.owned.filter((o) => o.attached).map((o) => o.brick);
  const state = { ...draft, size: sizeText(capacityOf(bricks, requestOf(draft))), bricks };
  return volume.read(deps, target.name, state as unknown as Inputs);
}
