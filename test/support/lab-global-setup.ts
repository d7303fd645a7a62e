// Jest globalSetup of the lab and e2e tiers: brings the shared lab up unless it already runs, and
// records in a marker (inside the lab's run directory) that this test run started it, so that
// only this run's globalTeardown takes it down. A second tier in the same run finds it up.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LAB_SCRIPT, labStatus } from "./lab";

export const MARKER = "started-by-test-run";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function labGlobalSetup(): Promise<void> {
  const before = labStatus();
  if (before.running) {
    // A lab left by a test run that died is adopted: this run tears it down at the end.
    const marker = path.join(before.runDir, MARKER);
    if (fs.existsSync(marker) && !alive(Number(fs.readFileSync(marker, "utf8").trim()))) {
      fs.writeFileSync(marker, `${process.pid}\n`);
    }
    return;
  }
  const r = spawnSync("bash", [LAB_SCRIPT, "up"], {
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 3_600_000,
  });
  if (r.status !== 0) throw new Error(`lab up failed (exit ${r.status ?? r.signal})`);
  const after = labStatus();
  if (!after.running) throw new Error("lab up finished but the lab is not running");
  fs.writeFileSync(path.join(after.runDir, MARKER), `${process.pid}\n`);
}
