// Runs a node script locally the way a node does: the whole text on bash's standard input.
import { spawn } from "node:child_process";

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runScript(text: string, env: NodeJS.ProcessEnv = process.env): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const p = spawn("bash", ["-s"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code: code ?? 255, stdout, stderr }));
    p.stdin.end(text);
  });
}
