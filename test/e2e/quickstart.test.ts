// The quickstart through the real Pulumi CLI against the lab: preview lists the bricks, up makes
// them, the volume mounts and keeps data through an expansion, refresh sees no drift, a shrink is
// refused in preview, and destroy leaves the nodes as they were.
import { labReset } from "../support/lab";
import {
  type Stack,
  expectOk,
  exportState,
  newStack,
  previewJson,
  pulumi,
  stackOutputs,
} from "../support/pulumi";
import { clean, footprints, inLab } from "./nodes";

let stack: Stack;
const MOUNT = "/mnt/e2e-quickstart";
// Every `lab exec` runs in a fresh mount namespace, so each command mounts the volume itself.
const mounted = (source: string, options: string, command: string) =>
  inLab(
    `mkdir -p ${MOUNT} && mount -t glusterfs -o ${options} ${source} ${MOUNT} && (${command}); rc=$?; umount ${MOUNT}; exit $rc`,
  );

beforeAll(() => {
  labReset();
  stack = newStack("quickstart");
});

type BrickOut = { node: string; device: string; size: number; set: number; role: string; path: string };

describe("quickstart", () => {
  test("preview shows the planned bricks per node and device, and changes nothing", () => {
    const preview = previewJson(stack);
    expect(preview.code).toBe(0);
    const volume = preview.steps.find((s) => s.urn.endsWith("glusterfs:Volume::data"));
    expect(volume?.op).toBe("create");
    const bricks = volume?.newState?.inputs?.bricks as BrickOut[];
    expect(bricks).toHaveLength(3);
    expect(new Set(bricks.map((b) => b.node)).size).toBe(3);
    for (const b of bricks) {
      expect(b.device).toBe("/dev/vdb");
      expect(b.size).toBeGreaterThanOrEqual(2 * 1024 ** 3);
      expect(b.role).toBe("data");
    }
    const ops = preview.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`).sort();
    expect(ops.filter((o) => o.startsWith("create"))).toEqual(
      expect.arrayContaining([
        "create data",
        "create quickstart",
        "create gluster-1",
        "create gluster-1-vdb",
      ]),
    );
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });

  test("up makes the pool, the devices and the volume, and a client can use it", () => {
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const out = stackOutputs(stack);
    expect(out.mountSource).toBe("gluster-1:/data");
    expect(out.backupVolfileServers).toEqual(["gluster-2", "gluster-3"]);
    expect(out.mountOptions).toContain("backup-volfile-servers=gluster-2:gluster-3");
    expect(String(out.volumeId)).toMatch(/^[0-9a-f-]{36}$/);
    for (const f of footprints()) {
      expect(f.vgs).toEqual(["gfs_quickstart_vdb"]);
      expect(f.volumes).toEqual(["data"]);
      expect(f.peers).toBe(2);
      expect(f.mounts).toHaveLength(1);
      expect(f.fstab).toHaveLength(1);
    }
    const write = mounted(
      String(out.mountSource),
      String(out.mountOptions),
      `for i in $(seq 1 20); do head -c 262144 /dev/urandom > ${MOUNT}/file-$i; done && ` +
        `cd ${MOUNT} && sha256sum file-* > /tmp/e2e-quickstart.sha256 && wc -l < /tmp/e2e-quickstart.sha256`,
    );
    expect(write.stderr).toBe("");
    expect(write.stdout.trim()).toBe("20");
  });

  test("up again and preview show no changes", () => {
    const preview = previewJson(stack);
    expect(preview.code).toBe(0);
    expect(preview.steps.filter((s) => s.op !== "same")).toEqual([]);
  });

  test("changing options updates them in place", () => {
    expectOk(
      pulumi(stack, ["config", "set", "options", JSON.stringify({ "performance.cache-size": "64MB" })], {
        outsideLab: true,
      }),
    );
    const preview = previewJson(stack);
    const volume = preview.steps.find((s) => s.urn.endsWith("glusterfs:Volume::data"));
    expect(volume?.op).toBe("update");
    // Only the option changes: no brick is added, moved or removed.
    expect(Object.keys(volume?.detailedDiff ?? {})).toEqual([expect.stringMatching(/^options.*cache-size/)]);
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const key = stack.lab.nodes[0]!.privateKeyPath;
    const got = inLab(
      `ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i ${key} root@gluster-1 ` +
        `gluster --mode=script volume get data performance.cache-size`,
    );
    expect(got.stdout).toMatch(/performance\.cache-size\s+64MB/);
  });

  test("cluster-wide options: previewed, applied on the pool, drift shown by refresh and put back, reset on removal", () => {
    const gl = (node: string, args: string) =>
      inLab(
        `ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i ${stack.lab.nodes[0]!.privateKeyPath} root@${node} ` +
          `gluster --mode=script ${args}`,
      ).stdout;
    const wanted = { "cluster.brick-multiplex": "on", "cluster.max-bricks-per-process": "4" };
    expectOk(
      pulumi(stack, ["config", "set", "clusterOptions", JSON.stringify(wanted)], { outsideLab: true }),
    );
    const preview = previewJson(stack);
    const settings = preview.steps.find((s) => s.urn.endsWith("glusterfs:ClusterOptions::quickstart"));
    expect(settings?.op).toBe("create");
    expect(settings?.newState?.inputs?.options).toEqual(wanted);
    expect(preview.steps.filter((s) => s.op !== "same" && s !== settings)).toEqual([]);
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    // Set through one node, read on another: glusterd keeps them on every peer.
    expect(gl("gluster-2", "volume get all cluster.max-bricks-per-process")).toMatch(
      /cluster\.max-bricks-per-process\s+4\b/,
    );
    gl("gluster-3", "volume set all cluster.max-bricks-per-process 8");
    const drift = pulumi(stack, ["refresh", "--yes", "--diff"]);
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(/cluster\.max-bricks-per-process[\s\S]*"?8"?/);
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    expect(gl("gluster-1", "volume get all cluster.max-bricks-per-process")).toMatch(
      /cluster\.max-bricks-per-process\s+4\b/,
    );
    // Removing the options resets every key to Gluster's default.
    expectOk(pulumi(stack, ["config", "rm", "clusterOptions"], { outsideLab: true }));
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    expect(gl("gluster-2", "volume get all all")).toMatch(/cluster\.brick-multiplex\s+disable \(DEFAULT\)/);
    expect(gl("gluster-2", "volume get all all")).toMatch(
      /cluster\.max-bricks-per-process\s+250 \(DEFAULT\)/,
    );
  });

  test("a shrink is refused in preview with the reason, and nothing runs", () => {
    expectOk(pulumi(stack, ["config", "set", "size", "1Gi"], { outsideLab: true }));
    const r = pulumi(stack, ["preview"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("shrinking volume data");
    expectOk(pulumi(stack, ["config", "set", "size", "2Gi"], { outsideLab: true }));
  });

  test("growing to 10Gi previews one new set of 8Gi bricks, then expands with data intact", () => {
    expectOk(pulumi(stack, ["config", "set", "size", "10Gi"], { outsideLab: true }));
    // `up` only starts the rebalance (the next test follows it to completion).
    expectOk(pulumi(stack, ["config", "set", "rebalance", "start"], { outsideLab: true }));
    const preview = previewJson(stack);
    expect(preview.code).toBe(0);
    const volume = preview.steps.find((s) => s.urn.endsWith("glusterfs:Volume::data"));
    expect(volume?.op).toBe("update");
    const before = volume?.oldState?.inputs?.bricks as BrickOut[];
    const after = volume?.newState?.inputs?.bricks as BrickOut[];
    expect(after.slice(0, before.length)).toEqual(before);
    // The fewest sets: one new set of three 8Gi bricks, one per node (not four more 2Gi sets).
    const added = after.slice(before.length);
    expect(added).toHaveLength(3);
    expect(new Set(added.map((b) => b.set))).toEqual(new Set([before[before.length - 1]!.set + 1]));
    expect(new Set(added.map((b) => b.node)).size).toBe(3);
    for (const b of added) expect(b.size).toBe(8 * 1024 ** 3);
    expect(Object.keys(volume?.detailedDiff ?? {}).some((k) => k.startsWith("bricks"))).toBe(true);

    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const out = stackOutputs(stack);
    expect((out.bricks as BrickOut[]).length).toBe(after.length);
    const check = mounted(
      String(out.mountSource),
      String(out.mountOptions),
      `cd ${MOUNT} && sha256sum -c --quiet /tmp/e2e-quickstart.sha256 && df -B1 --output=size . | tail -1`,
    );
    expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 0, stderr: "" });
    expect(Number(check.stdout.trim())).toBeGreaterThan(9 * 1024 ** 3);
  });

  test("rebalance: start: up said in progress, a refresh shows it completed", () => {
    expect(stackOutputs(stack).rebalanceStatus).toBe("in progress");
    const status = () =>
      exportState(stack).deployment.resources?.find((r) => r.urn.endsWith("glusterfs:Volume::data"))?.outputs
        ?.rebalanceStatus;
    let seen: unknown;
    for (let i = 0; i < 5 && seen !== "completed"; i++) {
      expectOk(pulumi(stack, ["refresh", "--yes"]));
      seen = status();
    }
    expect(seen).toBe("completed");
  });

  test("refresh finds no drift; a volume changed outside Pulumi shows as drift", () => {
    const option = inLab(
      `ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i ${stack.lab.nodes[0]!.privateKeyPath} root@gluster-1 ` +
        `gluster --mode=script volume stop data force`,
    );
    expect(option.code).toBe(0);
    const drift = pulumi(stack, ["refresh", "--yes", "--diff"]);
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(/status[\s\S]*Started[\s\S]*Stopped|~\s+status/);
    // `up` starts it again, and then nothing is left to do.
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    expect(pulumi(stack, ["preview", "--expect-no-changes"]).code).toBe(0);
  });

  test("destroy leaves no volume group, LV, mount, fstab line, volume or peer", () => {
    expectOk(pulumi(stack, ["destroy", "--yes", "--skip-preview"]));
    expect(footprints()).toEqual(["gluster-1", "gluster-2", "gluster-3"].map(clean));
  });
});
