// Ownership on real nodes (issue 9, finding 1): a volume named `omega` made by hand with the
// gluster CLI (its bricks on LVs in our own volume group, tagged with the volume's name, mounted
// and in fstab, a file written through a FUSE mount) survives a Volume resource of the same name:
// preview refuses the name, `up` re-checks and changes nothing, and the failed-create path
// (our bricks made, 'volume create' refused, cleanup) removes only our bricks. Its data (checksum),
// bricks, LVs, mounts and fstab are the same after as before.
import type { RemoteExecutor } from "../../provider/core/exec";
import type { VolumeInputs } from "../../provider/core/model";
import * as n from "../../provider/node";
import { createDeps, handlersFor } from "../../provider/resources";
import * as ops from "../../provider/resources/ops";
import { plan } from "../../provider/resources/volume-plan";
import { MemoryHostKeyStore, SshPool } from "../../provider/ssh";

/** One provider process, dialling the lab over SSH as the dynamic provider does. */
const deps = createDeps();
const handlers = handlersFor(deps);
import { type LabStatus, labExec, labReset, labStatus } from "../support/lab";
import { type LabTarget, labTargets } from "../support/node-lab";

jest.setTimeout(900_000);

const CLUSTER = "lab";
let status: LabStatus;
let t: LabTarget[];
let pool: SshPool;
let ex: RemoteExecutor[];

async function on(i: number, cmd: string): Promise<string> {
  const r = await ex[i]!.run({ step: "test.omega", text: `set -euo pipefail\n${cmd}\n`, readOnly: false });
  if (r.code !== 0) throw new Error(`node ${i + 1}: ${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `script` in a FUSE mount of omega inside the lab namespace. */
function inOmega(script: string): string {
  const dir = `/tmp/glusterfs-omega-${process.pid}`;
  const r = labExec(
    [
      "bash",
      "-c",
      `set -euo pipefail; mkdir -p ${dir}; mount -t glusterfs ${t[0]!.storage}:/omega ${dir}; trap 'cd /; umount ${dir}; rmdir ${dir}' EXIT; cd ${dir}; ${script}`,
    ],
    { timeoutMs: 300_000 },
  );
  if (r.code !== 0) throw new Error(`omega mount/run failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Everything of omega and of the nodes' storage an operator would check, for before/after. */
async function nodeState(): Promise<string[]> {
  return Promise.all(
    t.map((_, i) =>
      on(
        i,
        `lvs --noheadings -o vg_name,lv_name,lv_size,lv_tags --units b | sort
findmnt -rn -o TARGET,SOURCE | grep -v '^/proc\\|^/sys\\|^/dev\\|^/run' | sort
cat /etc/fstab
ls -1A /srv/omega/brick`,
      ),
    ),
  );
}

async function omegaInfo(): Promise<unknown> {
  const { info } = await n.readVolume(ex[0]!, "omega");
  return (
    info && {
      id: info.id,
      status: info.status,
      bricks: info.bricks.map((b) => b.spec),
      options: info.options,
    }
  );
}

function volumeInputs(): VolumeInputs {
  return {
    cluster: {
      clusterId: CLUSTER,
      zoneChecking: "strict",
      brickRoot: "/var/lib/glusterfs-bricks",
      expandMode: "add-sets",
    },
    topology: t.map((x, i) => ({
      manageAddress: x.node.name,
      storageAddress: x.storage,
      zone: i + 1,
      tags: {},
      connection: x.connection,
      devices: [{ path: "/dev/vdb", tags: {} }],
    })),
    name: "omega",
    owner: "lab/ownership/omega",
    size: "512Mi",
    durability: { type: "replicate", replica: 3 },
    snapshotFactor: 1,
    options: {},
    tagMatch: [],
  };
}

let sums: string;
let before: { nodes: string[]; info: unknown };

beforeAll(async () => {
  status = labStatus();
  if (!status.running) throw new Error("the lab is not running");
  t = labTargets(status).slice(0, 3);
  if (t.length < 3) throw new Error("this test needs 3 lab nodes");
  labReset();
  pool = new SshPool({ hostKeys: new MemoryHostKeyStore() });
  ex = t.map((x) => pool.executor(x.connection));
  await n.peerProbe(ex[0]!, t[1]!.storage);
  await n.peerProbe(ex[0]!, t[2]!.storage);
  await n.onNodes(ex, (e) => n.prepareDevice(e, { cluster: CLUSTER, device: "/dev/vdb" }));
  // omega by hand: an LV in our volume group, even tagged with the volume's name (what the old
  // cleanup removed), XFS, mounted, in fstab; then the volume with the gluster CLI.
  await n.onNodes([0, 1, 2], (i) =>
    on(
      i,
      `lvcreate -qq -y -L 320m -n omega_hand --addtag glusterfs.volume=omega gfs_lab_vdb
mkfs.xfs -q -i size=512 /dev/gfs_lab_vdb/omega_hand
mkdir -p /srv/omega
echo '/dev/gfs_lab_vdb/omega_hand /srv/omega xfs rw,noatime 0 0' >> /etc/fstab
mount /srv/omega
mkdir -p /srv/omega/brick`,
    ),
  );
  await on(
    0,
    `gluster --mode=script volume create omega replica 3 ${t.map((x) => `${x.storage}:/srv/omega/brick`).join(" ")}
gluster --mode=script volume start omega`,
  );
  sums = inOmega(
    "head -c 3000000 /dev/urandom > precious; mkdir d; echo hello > d/x; sync; sha256sum precious d/x",
  );
  before = { nodes: await nodeState(), info: await omegaInfo() };
});

afterAll(async () => {
  await pool?.closeAll();
  labReset();
});

async function expectOmegaUntouched(): Promise<void> {
  expect(inOmega("sha256sum precious d/x")).toBe(sums);
  expect(await omegaInfo()).toEqual(before.info);
  expect(await nodeState()).toEqual(before.nodes);
}

test("preview refuses the name, saying omega was not made by pulumi-glusterfs", async () => {
  const r = await handlers.volume.check({}, { ...volumeInputs() });
  expect(r.failures).toEqual([
    {
      property: "name",
      reason: expect.stringMatching(
        /not made by pulumi-glusterfs \(by hand or Heketi\): import it or choose another name/,
      ),
    },
  ]);
  await expectOmegaUntouched();
});

test("`up` with a stale plan re-checks and changes nothing", async () => {
  const v = volumeInputs();
  const planned = plan(v, await ops.plannerInventory(deps, v), undefined);
  if (!planned.ok) throw new Error(planned.error);
  await expect(handlers.volume.create({ ...v, bricks: planned.bricks })).rejects.toThrow(
    /volume name omega is already in use.*Nothing was changed/s,
  );
  await expectOmegaUntouched();
});

test("a create that fails at 'volume create' removes only its own bricks", async () => {
  const v = volumeInputs();
  const planned = plan(v, await ops.plannerInventory(deps, v), undefined);
  if (!planned.ok) throw new Error(planned.error);
  const made = { ...v, bricks: planned.bricks };
  // create's own path after its re-check: bricks, then 'volume create' (refused: omega exists), then cleanup.
  await ops.createBricks(deps, made, planned.bricks);
  const err = await ops.createVolume(deps, made, planned.bricks).catch((e: unknown) => e);
  expect(String(err)).toMatch(/refused: volume omega exists with bricks/);
  await ops.cleanupFailedCreate(deps, made, err);
  expect(String(err)).not.toMatch(/cleanup after the failure was not complete/);
  await expectOmegaUntouched();
});
