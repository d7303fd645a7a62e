// Jest globalTeardown of the lab and e2e tiers: takes the lab down only if this test run started it
// (see lab-global-setup.ts). PULUMI_GLUSTERFS_LAB_KEEP=1 keeps it running anyway.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LAB_SCRIPT, labStatus } from "./lab";
import { MARKER } from "./lab-global-setup";

export default async function labGlobalTeardown(): Promise<void> {
  const status = labStatus();
  const marker = path.join(status.runDir, MARKER);
  if (!fs.existsSync(marker)) return;
  if (fs.readFileSync(marker, "utf8").trim() !== String(process.pid)) return;
  if (process.env.PULUMI_GLUSTERFS_LAB_KEEP === "1") {
    fs.rmSync(marker, { force: true });
    return;
  }
  const r = spawnSync("bash", [LAB_SCRIPT, "down"], {
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`lab down failed (exit ${r.status ?? r.signal})`);
}
