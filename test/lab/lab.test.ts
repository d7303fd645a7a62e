// The lab itself: real Debian VMs with sshd (pinned host keys), glusterd 10, LVM thin and XFS,
// empty data disks, a network that ends at the namespace, and a reset back to a clean state.
// The suite resets the lab first. To leave a shared lab alone, run it against a lab instance of its own:
//   PULUMI_GLUSTERFS_LAB_INSTANCE=dev npx jest --selectProjects lab
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LabNode,
  LabStatus,
  labExec,
  labReset,
  labSsh,
  labStatus,
  sshArgs,
  writeKnownHosts,
} from "../support/lab";

let status: LabStatus;
let knownHosts: string;
/** The lab's first node; `lab up` starts at least one, and beforeAll fails clearly when it did not. */
let first: LabNode;

beforeAll(() => {
  labReset();
  status = labStatus();
  knownHosts = writeKnownHosts(status);
  const [node] = status.nodes;
  if (!node) throw new Error("the lab reports no nodes: run `lab up` (or check `lab status`)");
  first = node;
});

/** Runs a command on every node at once (one ssh per node in parallel, inside the namespace). */
function parallel(command: string): { node: LabNode; code: number; stdout: string; stderr: string }[] {
  const script = status.nodes
    .map(
      (n, i) =>
        `( ${sshArgs(n, knownHosts).map(q).join(" ")} ${q(command)} >"$T/${i}.out" 2>"$T/${i}.err"; echo $? >"$T/${i}.rc" ) &`,
    )
    .join("\n");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-par-"));
  const r = labExec(["bash", "-c", `T=${q(dir)}\n${script}\nwait`]);
  expect(r.code).toBe(0);
  return status.nodes.map((node, i) => ({
    node,
    code: Number(fs.readFileSync(path.join(dir, `${i}.rc`), "utf8").trim()),
    stdout: fs.readFileSync(path.join(dir, `${i}.out`), "utf8"),
    stderr: fs.readFileSync(path.join(dir, `${i}.err`), "utf8"),
  }));
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

describe("lab", () => {
  test("status describes running nodes with pinned host keys and data disks", () => {
    expect(status.running).toBe(true);
    expect(status.namespace).toMatch(/\S/);
    expect(status.nodes.length).toBeGreaterThanOrEqual(1);
    const names = new Set<string>();
    for (const n of status.nodes) {
      expect(n.name).toMatch(/^gluster-\d+$/);
      expect(n.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(n.sshPort).toBe(22);
      expect(n.user).toBe("root");
      expect(fs.existsSync(n.privateKeyPath)).toBe(true);
      expect(n.hostKey).toMatch(/^ssh-ed25519 AAAA[0-9A-Za-z+/=]+$/);
      expect(n.dataDisks.length).toBeGreaterThanOrEqual(1);
      n.dataDisks.forEach((d) => expect(d).toMatch(/^\/dev\/vd[b-z]$/));
      names.add(n.hostKey);
    }
    expect(names.size).toBe(status.nodes.length); // one host key per node
  });

  test("every node answers SSH with its pinned host key", () => {
    for (const r of parallel("hostname")) {
      expect({ node: r.node.name, code: r.code, err: r.stderr }).toEqual({
        node: r.node.name,
        code: 0,
        err: "",
      });
      expect(r.stdout.trim()).toBe(r.node.name);
    }
  });

  test("a node presenting another key is refused", () => {
    const a = first;
    const b = status.nodes[1] ?? first;
    const wrong = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-wrong-")), "known_hosts");
    const other =
      a === b
        ? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm9iM8Ry0S3cHknvp4Zr2k2tVFGZ2LLjxZm0tK9n1bL"
        : b.hostKey;
    fs.writeFileSync(wrong, `${a.address} ${other}\n`);
    const r = labExec([...sshArgs(a, wrong), "true"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/host key/i);
  });

  test("the forwarded SSH port reaches each node from outside the namespace", () => {
    const kh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-fwd-")), "known_hosts");
    fs.writeFileSync(
      kh,
      status.nodes.map((n) => `[${n.forwardHost}]:${n.forwardPort} ${n.hostKey}`).join("\n") + "\n",
    );
    for (const n of status.nodes) {
      const r = spawnSync(
        "ssh",
        [
          "-i",
          n.privateKeyPath,
          "-p",
          String(n.forwardPort),
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          `UserKnownHostsFile=${kh}`,
          "-o",
          "BatchMode=yes",
          "-o",
          "LogLevel=ERROR",
          `${n.user}@${n.forwardHost}`,
          "hostname",
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe(n.name);
    }
  });

  test("glusterd 10 answers with no peers; LVM thin and XFS tools are there", () => {
    const rs = parallel(
      "gluster --version | head -n1; gluster peer status; gluster volume list 2>&1; " +
        "lsmod | grep -c '^dm_thin_pool'; command -v thin_check lvcreate mkfs.xfs sudo | wc -l",
    );
    for (const r of rs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^glusterfs 10\./m);
      expect(r.stdout).toMatch(/Number of Peers: 0/);
      expect(r.stdout).toMatch(/No volumes present/);
      const lines = r.stdout.trim().split("\n");
      expect(lines.slice(-2)).toEqual(["1", "4"]);
    }
  });

  test("data disks are empty", () => {
    const disks = first.dataDisks.join(" ");
    const rs = parallel(
      `for d in ${disks}; do lsblk -n -o NAME,FSTYPE,SIZE "$d"; wipefs -n "$d"; done; pvs --noheadings; echo end`,
    );
    for (const r of rs) {
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      // one line per disk (no partitions, no filesystem), nothing from wipefs or pvs
      expect(lines.length).toBe(r.node.dataDisks.length + 1);
      r.node.dataDisks.forEach((d, i) =>
        expect(lines[i]).toMatch(new RegExp(`^${path.basename(d)}\\s+20G$`)),
      );
      expect(lines[lines.length - 1]).toBe("end");
    }
  });

  test("no route leaves the namespace, and names resolve only inside it", () => {
    const routes = labExec(["ip", "-4", "route"]);
    expect(routes.code).toBe(0);
    const lines = routes.stdout.trim().split("\n");
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^10\.77\.0\.0\/24 dev \S+ proto kernel/);
    expect(labExec(["ip", "-6", "route", "show", "default"]).stdout.trim()).toBe("");
    // a route lookup only: no packet is sent
    const out = labExec(["ip", "route", "get", "1.1.1.1"]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/unreachable/i);
    // the guests have no default route either
    for (const r of parallel("ip -4 route show default; ip -6 route show default; echo end")) {
      expect(r.stdout.trim()).toBe("end");
    }
    // storage names resolve inside the namespace, not on the machine
    const n = first;
    expect(labExec(["getent", "hosts", n.name]).stdout).toMatch(
      new RegExp(`^${n.address.replace(/\./g, "\\.")}\\s`),
    );
    expect(fs.readFileSync("/etc/hosts", "utf8")).not.toMatch(new RegExp(`\\s${n.name}(\\s|$)`, "m"));
  });

  test("reset brings back a clean, un-peered state after volumes, mounts and LVM changes", () => {
    const others = status.nodes.slice(1);
    const bricks = status.nodes.map((n) => `${n.storageAddress}:/srv/labtest-brick`).join(" ");
    const replica = status.nodes.length >= 2 ? `replica ${status.nodes.length}` : "";
    const make = labSsh(
      first,
      `set -e; for p in ${others.map((n) => n.storageAddress).join(" ")}; do gluster peer probe $p; done
       for i in $(seq 1 30); do [ "$(gluster pool list | grep -c Connected)" = ${status.nodes.length} ] && break; sleep 1; done
       gluster volume create labtest ${replica} ${bricks} force
       gluster volume start labtest
       pvcreate -q ${first.dataDisks[0]}; vgcreate -q labvg ${first.dataDisks[0]}
       lvcreate -q -L 1G -T labvg/pool; lvcreate -q -V 2G -T labvg/pool -n thin1; mkfs.xfs -q /dev/labvg/thin1`,
    );
    expect(make.stderr).not.toMatch(/error/i);
    expect(make.code).toBe(0);
    // the test process mounts the volume through FUSE inside the namespace
    const mnt = labExec([
      "sh",
      "-c",
      `set -e; m=$(mktemp -d); mount -t glusterfs ${first.storageAddress}:/labtest "$m"; echo lab-data > "$m/f"; cat "$m/f"; umount "$m"; rmdir "$m"`,
    ]);
    expect(mnt.stderr).toBe("");
    expect(mnt.stdout.trim()).toBe("lab-data");
    expect(labSsh(first, "gluster volume list").stdout).toMatch(/labtest/);

    labReset();

    for (const r of parallel(
      `gluster peer status; gluster volume list 2>&1; pvs --noheadings; wipefs -n ${first.dataDisks.join(" ")}; ls /srv; date +%s`,
    )) {
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toBe("Number of Peers: 0");
      expect(lines[1]).toMatch(/^No volumes present/);
      expect(lines.length).toBe(3);
      // the clock was set after the restore
      expect(Math.abs(Number(lines[2]) - Date.now() / 1000)).toBeLessThan(120);
    }
  });
});
