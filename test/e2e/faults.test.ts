// The fault cases through the real CLI: bad input fails in preview naming the field and runs
// nothing; an interrupted `up` is finished by the next one without duplicates; a delete with a
// node powered off fails clearly and keeps the volume in state; a volume deleted outside Pulumi
// shows as drift on refresh.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { labReset, labStatus } from "../support/lab";
import { type Stack, exportState, expectOk, newStack, pulumi, pulumiBin } from "../support/pulumi";
import { clean, footprints, inLab } from "./nodes";

const NODES = ["gluster-1", "gluster-2", "gluster-3"];

function setConfig(stack: Stack, key: string, value: string): void {
  expectOk(pulumi(stack, ["config", "set", key, value], { outsideLab: true }));
}

function onNode(stack: Stack, node: string, command: string) {
  const key = stack.lab.nodes[0]!.privateKeyPath;
  return inLab(
    `ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i ${key} root@${node} ${JSON.stringify(command)}`,
  );
}

describe("bad input fails in preview, names the field, and runs no command", () => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack("configurable", "badinput");
  });

  test.each([
    [
      "volumeName",
      "data;rm -rf /",
      /name: the value "data;rm -rf \/" is not a volume name; start with a letter/,
    ],
    ["size", "ten gigs", /size[^\n]*invalid value "ten gigs"[^\n]*allowed/],
  ])("%s = %s", (key, value, message) => {
    setConfig(stack, key, value);
    const r = pulumi(stack, ["preview"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(footprints()).toEqual(NODES.map(clean));
    expectOk(pulumi(stack, ["config", "rm", key], { outsideLab: true }));
  });

  test("replica 3 on two zones under strict checking", () => {
    setConfig(stack, "zones", "[1,1,2]");
    const r = pulumi(stack, ["preview"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/size: cannot place volume vol: .*zone/i);
    expect(footprints()).toEqual(NODES.map(clean));
    expectOk(pulumi(stack, ["config", "rm", "zones"], { outsideLab: true }));
  });
});

describe("an interrupted up is finished by the next up", () => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack("configurable", "interrupt");
  });

  test("SIGINT while the volume is being created, then up again: nothing duplicated or orphaned", async () => {
    const bin = path.join(pulumiBin(), "pulumi");
    const child = spawn(
      "ip",
      [
        "netns",
        "exec",
        stack.lab.namespace,
        bin,
        "up",
        "--yes",
        "--skip-preview",
        "--stack",
        stack.name,
        "--non-interactive",
      ],
      { cwd: stack.dir, env: stack.env },
    );
    let output = "";
    let interrupted = false;
    const done = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 128)));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!interrupted && /Volume vol creating/.test(output)) {
        interrupted = true;
        // Let the brick scripts start on the nodes, then interrupt as a user pressing Ctrl-C would.
        setTimeout(() => child.kill("SIGINT"), 4000);
      }
    });
    const code = await done;
    expect(interrupted).toBe(true);
    expect(code).not.toBe(0);

    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    for (const f of footprints()) {
      expect(f.volumes).toEqual(["vol"]);
      expect(f.lvs.filter((l) => l.startsWith("brick_vol_"))).toHaveLength(1);
      expect(f.lvs.filter((l) => l.startsWith("tp_vol_"))).toHaveLength(1);
      expect(f.mounts).toHaveLength(1);
      expect(f.fstab).toHaveLength(1);
    }
    const preview = pulumi(stack, ["preview", "--expect-no-changes"]);
    expect(preview.code).toBe(0);
  });

  test("a volume deleted outside Pulumi shows as drift on refresh", () => {
    expect(
      onNode(
        stack,
        "gluster-1",
        "gluster --mode=script volume stop vol force && gluster --mode=script volume delete vol",
      ).code,
    ).toBe(0);
    const r = expectOk(pulumi(stack, ["refresh", "--yes"]));
    expect(r.stdout).toMatch(/Volume vol.*deleted|- 1 deleted/);
    const volumes = (exportState(stack).deployment.resources ?? []).filter((res) =>
      res.type.endsWith(":Volume"),
    );
    expect(volumes).toEqual([]);
  });

  afterAll(() => labReset());
});

describe("a delete that cannot reach a node", () => {
  let stack: Stack;
  beforeAll(() => {
    labReset();
    stack = newStack("configurable", "poweroff");
  });

  test("deleting a volume while one of its nodes is powered off fails clearly and keeps it in state", () => {
    expectOk(pulumi(stack, ["up", "--yes", "--skip-preview"]));
    const victim = labStatus().nodes.find((n) => n.name === "gluster-3")!;
    process.kill(victim.pid, "SIGKILL");
    setConfig(stack, "volume", "false");
    const r = pulumi(stack, ["up", "--yes", "--skip-preview"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/deleting volume vol: cannot reach 10\.77\.0\.13/);
    expect(r.stdout + r.stderr).toMatch(/stays in state/);
    const volumes = (exportState(stack).deployment.resources ?? []).filter((res) =>
      res.type.endsWith(":Volume"),
    );
    expect(volumes).toHaveLength(1);
  });

  afterAll(() => labReset());
});
