// The Gluster volume itself: create from the planned brick order, options, start, expand with
// rebalance, read back, stop and delete. All run on the node of the first brick (any pool
// member would do) and check before they act, so re-runs converge.
import type { Brick, VolumeInputs } from "../core/model";
import { MANAGED_OPTION } from "../core/names";
import { shq } from "../core/shell";
import { brickTargets, createBricks, destroyBricks, destroyUnrecorded } from "./bricks";
import { type LiveVolume, parseCliOutput, parseRebalanceStatus, parseVolumeInfo } from "./gluster-xml";
import { requireReachable, runStep, type Target } from "./remote";

const G = "gluster --mode=script";

function ordered(bricks: Brick[]): Brick[] {
  return [...bricks].sort((a, b) => a.set - b.set || a.index - b.index);
}

function layoutArgs(v: VolumeInputs): string {
  const d = v.durability;
  if (d.type === "distribute") return "";
  if (d.type === "disperse")
    return `disperse ${d.disperseData! + d.disperseRedundancy!} redundancy ${d.disperseRedundancy!}`;
  return d.arbiter ? "replica 3 arbiter 1" : `replica ${d.replica ?? 3}`;
}

function brickArgs(bricks: Brick[]): string {
  return ordered(bricks)
    .map((b) => shq(`${b.storage}:${b.path}`))
    .join(" ");
}

/** The node commands run on: the first brick's node, else the first node of the topology. */
function home(v: VolumeInputs, bricks: Brick[] = v.bricks ?? []): Target {
  const first = ordered(bricks)[0];
  return v.topology.find((n) => n.manageAddress === first?.node) ?? v.topology[0]!;
}

function optionScript(v: VolumeInputs, options: Record<string, string>): string {
  return Object.entries(options)
    .map(([k, val]) => `${G} volume set ${shq(v.name)} ${shq(k)} ${shq(val)} >/dev/null`)
    .join("\n");
}

export async function createVolume(v: VolumeInputs, bricks: Brick[]): Promise<void> {
  const name = shq(v.name);
  await runStep(home(v, bricks), {
    step: "volume.create",
    text: `
if ! ${G} volume info ${name} >/dev/null 2>&1; then
  ${G} volume create ${name} ${layoutArgs(v)} transport tcp ${brickArgs(bricks)} >/dev/null
fi
${optionScript(v, { [MANAGED_OPTION]: v.cluster.clusterId, ...v.options })}
${G} volume info ${name} | grep -q '^Status: Started' || ${G} volume start ${name} >/dev/null`,
    hint: "run `pulumi up` again: a volume already created is adopted and started",
  });
}

export async function expandVolume(v: VolumeInputs, added: Brick[]): Promise<void> {
  const name = shq(v.name);
  const missing = ordered(added)
    .map((b) => `${b.storage}:${b.path}`)
    .map((spec) => `echo "$info" | grep -qxF ${shq(`Brick: ${spec}`)} || todo="$todo ${shq(spec)}"`)
    .join("\n");
  await runStep(home(v), {
    step: "volume.add-brick",
    text: `
info=$(${G} volume info ${name} | sed -E 's/^Brick[0-9]+: /Brick: /')
todo=""
${missing}
if [ -n "$todo" ]; then
  eval "${G} volume add-brick ${name} ${layoutArgs(v)} $todo" >/dev/null
fi
${G} volume rebalance ${name} start >/dev/null`,
    hint: "run `pulumi up` again: bricks already added are kept and the rebalance restarts",
  });
  await waitForRebalance(v);
}

/**
 * Polls the rebalance until Gluster reports it completed. A status query can fail while the
 * rebalance daemons start on the peers; only a run that Gluster itself marks failed is an error.
 */
async function waitForRebalance(v: VolumeInputs, limitMs = 3_600_000): Promise<void> {
  const started = Date.now();
  let lastError = "";
  while (Date.now() - started < limitMs) {
    const r = await runStep(home(v), {
      step: "volume.rebalance-status",
      readOnly: true,
      text: `${G} --xml volume rebalance ${shq(v.name)} status || true`,
    });
    let status: string | undefined;
    try {
      status = parseRebalanceStatus(r.stdout);
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (status === "completed") return;
    if (status === "failed") {
      throw new Error(
        `${home(v).manageAddress}: rebalance of volume ${v.name} failed; see /var/log/glusterfs/${v.name}-rebalance.log ` +
          "on the nodes, then run `pulumi up` again to restart it",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(
    `rebalance of volume ${v.name} did not finish within ${limitMs / 60000} minutes (${lastError})`,
  );
}

export async function ensureStarted(v: VolumeInputs): Promise<void> {
  const name = shq(v.name);
  await runStep(home(v), {
    step: "volume.start",
    text: `${G} volume info ${name} | grep -q '^Status: Started' || ${G} volume start ${name} >/dev/null`,
  });
}

export async function updateOptions(
  v: VolumeInputs,
  before: Record<string, string>,
  after: Record<string, string>,
): Promise<void> {
  const changed = Object.fromEntries(Object.entries(after).filter(([k, val]) => before[k] !== val));
  const removed = Object.keys(before).filter((k) => !(k in after));
  if (Object.keys(changed).length === 0 && removed.length === 0) return;
  await runStep(home(v), {
    step: "volume.options",
    text: [
      optionScript(v, changed),
      ...removed.map((k) => `${G} volume reset ${shq(v.name)} ${shq(k)} >/dev/null`),
    ].join("\n"),
  });
}

/** The volume as Gluster reports it, read from the first reachable node; undefined when it does not exist. */
export async function readVolume(v: VolumeInputs): Promise<LiveVolume | undefined> {
  let lastError: unknown;
  for (const node of [home(v), ...v.topology]) {
    try {
      const r = await runStep(node, {
        step: "volume.info",
        readOnly: true,
        text: `${G} --xml volume info ${shq(v.name)} || true`,
      });
      const out = parseCliOutput(r.stdout);
      if (out.opRet !== 0) {
        if (/does not exist/i.test(out.opErrstr)) return undefined;
        throw new Error(`gluster volume info ${v.name} on ${node.manageAddress}: ${out.opErrstr}`);
      }
      return parseVolumeInfo(r.stdout)[0];
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export async function volumeOutputs(v: VolumeInputs): Promise<Record<string, unknown>> {
  const live = await readVolume(v);
  const hosts = [...new Set(ordered(v.bricks ?? []).map((b) => b.storage))];
  const [first, ...backups] = hosts;
  return {
    volumeId: live?.id ?? "",
    status: live?.status ?? "",
    mountSource: `${first}:/${v.name}`,
    backupVolfileServers: backups,
    mountOptions: backups.length > 0 ? `backup-volfile-servers=${backups.join(":")}` : "defaults",
  };
}

export async function deleteVolume(v: VolumeInputs): Promise<void> {
  const bricks = v.bricks ?? [];
  const targets = brickTargets(v, bricks);
  await requireReachable(targets, `deleting volume ${v.name}`);
  const name = shq(v.name);
  await runStep(home(v), {
    step: "volume.delete",
    text: `
if ${G} volume info ${name} >/dev/null 2>&1; then
  ${G} volume info ${name} | grep -q '^Status: Started' && ${G} volume stop ${name} force >/dev/null
  ${G} volume delete ${name} >/dev/null
fi
true`,
  });
  await destroyBricks(v, bricks);
  // Bricks a failed expansion made but never recorded are found by their tags and removed too.
  await destroyUnrecorded(v);
}

/** After a failed create: remove what was made, collecting (not hiding) cleanup failures. */
export async function cleanupFailedCreate(v: VolumeInputs, bricks: Brick[], cause: unknown): Promise<void> {
  try {
    await deleteVolume({ ...v, bricks });
  } catch (cleanup) {
    const why = cleanup instanceof Error ? cleanup.message : String(cleanup);
    if (cause instanceof Error)
      cause.message += `\n(cleanup after the failure also failed: ${why}; run \`pulumi up\` again to converge)`;
  }
}

export { createBricks };
