// `npm run bench -- lab`: what the lab costs. Cold build and cold boot come from the figures the
// lab recorded in its cache when it built the image and saved the snapshots (BENCH_LAB_COLD=1
// measures them afresh in a temporary cache: debootstrap, image, cold boot, about 5 minutes).
// Warm boot, reset and memory are measured on a lab instance of the bench's own
// (PULUMI_GLUSTERFS_LAB_INSTANCE=bench), so a shared lab that is running is left alone.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const script = path.resolve(__dirname, "../lab/lab.sh");
const nodes = process.env.BENCH_LAB_NODES ?? "3";
const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_GLUSTERFS_LAB_INSTANCE: "bench" };
let tmpCache: string | undefined;
if (process.env.BENCH_LAB_COLD === "1") {
  tmpCache = fs.mkdtempSync(path.join(os.tmpdir(), "lab-bench-cache-"));
  env.PULUMI_GLUSTERFS_CACHE = tmpCache;
}

function lab(args: string[], inherit = true): { code: number; stdout: string; seconds: number } {
  const start = performance.now();
  const r = spawnSync("bash", [script, ...args], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", inherit ? "inherit" : "pipe"],
    timeout: 3_600_000,
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", seconds: (performance.now() - start) / 1000 };
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function fmt(n: unknown): string {
  return typeof n === "number" ? `${n.toFixed(1)} s` : "not recorded";
}

interface Status {
  imageDir: string;
  warmStartSeconds: number | null;
  nodes: { name: string; pid: number }[];
}

function main(): void {
  try {
    measure();
  } finally {
    lab(["down"], false);
    if (tmpCache) fs.rmSync(tmpCache, { recursive: true, force: true });
  }
}

function measure(): void {
  lab(["down"], false);
  let coldUp: number | undefined;
  if (tmpCache) {
    const build = lab(["prepare"]);
    if (build.code !== 0) throw new Error("lab prepare failed");
    const cold = lab(["up", "--nodes", nodes]);
    if (cold.code !== 0) throw new Error("cold lab up failed");
    coldUp = cold.seconds;
    lab(["down"], false);
  }
  const up = lab(["up", "--nodes", nodes]);
  if (up.code !== 0) throw new Error("lab up failed");
  try {
    const status = JSON.parse(lab(["status", "--json"], false).stdout) as Status;
    const meta = readJson(path.join(status.imageDir, "meta.json")) ?? {};
    const coldBoot = readJson(path.join(status.imageDir, "cold-boot.json")) ?? {};
    const debootstrap = typeof meta.debootstrapSeconds === "number" ? meta.debootstrapSeconds : 0;
    const image = typeof meta.imageSeconds === "number" ? meta.imageSeconds : undefined;
    console.log(
      `lab bench: ${status.nodes.length} nodes${tmpCache ? " (cold path measured in a fresh cache)" : ""}`,
    );
    console.log(
      `cold build (debootstrap + image): ${image === undefined ? "not recorded" : fmt(debootstrap + image)}` +
        ` (debootstrap ${fmt(debootstrap)}, configure + image ${fmt(image)})`,
    );
    console.log(
      `cold boot of ${String(coldBoot.nodes ?? "?")} nodes to SSH + glusterd, then snapshot: ${fmt(coldBoot.coldBootSeconds)}` +
        (coldUp !== undefined ? ` (whole cold 'lab up': ${fmt(coldUp)})` : ""),
    );
    console.log(
      `warm boot from snapshot: ${fmt(up.seconds)} for 'lab up' (restore to SSH: ${fmt(status.warmStartSeconds)})`,
    );
    const rss = status.nodes.map((n) => {
      const mib = rssMiB(n.pid);
      console.log(`memory ${n.name}: ${mib.toFixed(0)} MiB RSS`);
      return mib;
    });
    console.log(
      `memory per VM: ${(rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(0)} MiB RSS on average`,
    );
    const reset = lab(["reset"]);
    console.log(`reset to the clean snapshot: ${fmt(reset.seconds)}`);
  } finally {
    lab(["down"], false);
  }
}

main();
