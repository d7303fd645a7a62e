// Drives the real Pulumi CLI (local file backend, passphrase secrets, offline settings) against
// the lab. Programs run from copies of examples/ under one scratch folder whose node_modules
// holds this package installed from its packed tarball, the way a user's program would.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type ExecResult, type LabStatus, labStatus } from "./lab";

const ROOT = path.resolve(__dirname, "../..");
// One scratch folder per lab instance, so runs against different instances never share files.
const SCRATCH = path.join(
  os.tmpdir(),
  `pulumi-glusterfs-e2e${process.env.PULUMI_GLUSTERFS_LAB_INSTANCE ? `-${process.env.PULUMI_GLUSTERFS_LAB_INSTANCE}` : ""}`,
);

let pulumiBinDir: string | undefined;
/** The directory holding `pulumi`, its Node language host and the dynamic provider shim. */
export function pulumiBin(): string {
  pulumiBinDir ??= execFileSync("bash", [path.join(ROOT, "test/setup/pulumi-cli.sh")], {
    encoding: "utf8",
  }).trim();
  return pulumiBinDir;
}

/** Everything the packed tarball is built from; the same hash means the same package. */
function packageHash(): string {
  const h = createHash("sha256");
  const files = [
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "schema.json",
    "README.md",
    "LICENSE",
  ];
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const f of [...files, ...walk("provider"), ...walk("sdk")].sort()) {
    if (!fs.existsSync(path.join(ROOT, f))) continue;
    h.update(`${f}\0`);
    h.update(fs.readFileSync(path.join(ROOT, f)));
  }
  return h.digest("hex").slice(0, 16);
}

let installed = false;
/**
 * Packs this package and installs it (with @pulumi/pulumi) into the scratch folder. Each test
 * file has its own module state, so the install is marked with the hash of what the tarball is
 * built from: the next file (or run) with the same sources reuses it instead of packing again.
 */
export function installPackage(): string {
  if (installed) return SCRATCH;
  const marker = path.join(SCRATCH, `.installed-${packageHash()}`);
  if (!fs.existsSync(marker) || !fs.existsSync(path.join(SCRATCH, "node_modules/pulumi-glusterfs"))) {
    fs.rmSync(SCRATCH, { recursive: true, force: true });
    fs.mkdirSync(SCRATCH, { recursive: true });
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", SCRATCH], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const [{ filename }] = JSON.parse(out) as [{ filename: string }];
    const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    fs.writeFileSync(
      path.join(SCRATCH, "package.json"),
      JSON.stringify({
        name: "glusterfs-e2e-programs",
        private: true,
        dependencies: {
          "pulumi-glusterfs": `file:./${filename}`,
          "@pulumi/pulumi": rootPkg.dependencies["@pulumi/pulumi"],
          typescript: rootPkg.devDependencies["typescript"],
          "@types/node": rootPkg.devDependencies["@types/node"],
        },
      }),
    );
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: SCRATCH,
      stdio: ["ignore", "ignore", "inherit"],
    });
    fs.writeFileSync(marker, "");
  }
  installed = true;
  return SCRATCH;
}

export interface Stack {
  dir: string;
  name: string;
  env: NodeJS.ProcessEnv;
  lab: LabStatus;
}

/** Copies examples/NAME (or test/e2e/programs/NAME) into the scratch folder and creates a stack configured for the lab. */
export function newStack(example: string, stackName = "e2e"): Stack {
  const scratch = installPackage();
  const dir = path.join(scratch, `${example}-${stackName}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const source = fs.existsSync(path.join(ROOT, "examples", example))
    ? path.join(ROOT, "examples", example)
    : path.join(ROOT, "test/e2e/programs", example);
  fs.cpSync(source, dir, {
    recursive: true,
    filter: (src) => !src.includes("node_modules") && !/Pulumi\.[^/]+\.yaml$/.test(src),
  });
  fs.rmSync(path.join(dir, "package.json"), { force: true });
  const state = path.join(dir, ".state");
  fs.mkdirSync(state, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${pulumiBin()}:${process.env.PATH}`,
    PULUMI_HOME: path.join(dir, ".pulumi-home"),
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    // The programs are type-checked once, against the SDK's sources, by the unit tier
    // (test/unit/examples-typecheck.test.ts); checking them again on every CLI command cost
    // 4-5 s of CPU each, taken from the lab's emulated nodes.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  const stack: Stack = { dir, name: stackName, env, lab: labStatus() };
  expectOk(pulumi(stack, ["stack", "init", stackName], { outsideLab: true }));
  configureForLab(stack);
  return stack;
}

/** Stack config that points a program at the lab's nodes, with the lab's key as a secret. */
export function configureForLab(stack: Stack, nodeCount = 3, devicesPerNode = 1): void {
  const nodes = stack.lab.nodes.slice(0, nodeCount).map((n, i) => ({
    name: n.name,
    address: n.address,
    storage: n.storageAddress,
    zone: i + 1,
    hostKey: n.hostKey,
    devices: n.dataDisks.slice(0, devicesPerNode),
  }));
  // Config.getObject parses a JSON string value.
  expectOk(pulumi(stack, ["config", "set", "nodes", JSON.stringify(nodes)], { outsideLab: true }));
  const key = fs.readFileSync(stack.lab.nodes[0]!.privateKeyPath, "utf8");
  expectOk(
    pulumi(stack, ["config", "set", "--secret", "glusterfs:privateKey"], { input: key, outsideLab: true }),
  );
}

export interface PulumiOptions {
  input?: string;
  timeoutMs?: number;
  /** Run outside the lab's namespace (for commands that reach no node). */
  outsideLab?: boolean;
}

function pulumiArgv(stack: Stack, args: string[], opts: PulumiOptions): string[] {
  const init = args[0] === "stack" && args[1] === "init";
  const fullArgs = init ? args : [...args, "--stack", stack.name, "--non-interactive"];
  const command = [path.join(pulumiBin(), "pulumi"), ...fullArgs];
  return opts.outsideLab ? command : ["ip", "netns", "exec", stack.lab.namespace, ...command];
}

/**
 * Appends one line per CLI command (stack, command, seconds) to `timings.tsv` in the scratch
 * folder: where an e2e file spends its time, read after a run to see what to make faster.
 */
function recordTiming(stack: Stack, args: string[], startedMs: number, code: number): void {
  const command = args.filter((a) => !a.startsWith("--") || a === "--expect-no-changes").slice(0, 3);
  const line = [
    new Date(startedMs).toISOString(),
    path.basename(stack.dir),
    command.join(" "),
    ((Date.now() - startedMs) / 1000).toFixed(1),
    String(code),
  ].join("\t");
  fs.appendFileSync(path.join(SCRATCH, "timings.tsv"), line + "\n");
}

/** Runs `pulumi ARGS` for the stack inside the lab's network namespace. */
export function pulumi(stack: Stack, args: string[], opts: PulumiOptions = {}): ExecResult {
  const argv = pulumiArgv(stack, args, opts);
  const startedMs = Date.now();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: stack.dir,
    env: stack.env,
    input: opts.input,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 1_200_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  recordTiming(stack, args, startedMs, r.status ?? 128);
  return { code: r.status ?? 128, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/**
 * `pulumi ARGS` without blocking the test, so several CLI processes run at once; `onOutput`
 * sees stdout as it arrives. `env` is added to the stack's environment.
 */
export function pulumiAsync(
  stack: Stack,
  args: string[],
  opts: PulumiOptions & { env?: NodeJS.ProcessEnv; onOutput?: (soFar: string) => void } = {},
): Promise<ExecResult> {
  const argv = pulumiArgv(stack, args, opts);
  const startedMs = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: stack.dir, env: { ...stack.env, ...opts.env } });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGTERM"), opts.timeoutMs ?? 1_200_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      opts.onOutput?.(stdout);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      recordTiming(stack, args, startedMs, code ?? 128);
      resolve({ code: code ?? 128, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

export function expectOk(r: ExecResult): ExecResult {
  if (r.code !== 0) throw new Error(`pulumi failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Stack outputs as JSON (secrets shown). */
export function stackOutputs(stack: Stack): Record<string, unknown> {
  const r = expectOk(pulumi(stack, ["stack", "output", "--json", "--show-secrets"], { outsideLab: true }));
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The stack's state as `pulumi stack export` gives it. */
export function exportState(stack: Stack): {
  deployment: { resources?: { type: string; urn: string; id?: string; outputs?: Record<string, unknown> }[] };
} {
  const r = expectOk(pulumi(stack, ["stack", "export", "--show-secrets"], { outsideLab: true }));
  return JSON.parse(r.stdout);
}

export type PreviewStep = {
  op: string;
  urn: string;
  newState?: { inputs?: Record<string, unknown> };
  oldState?: { inputs?: Record<string, unknown> };
  detailedDiff?: Record<string, { kind: string }>;
  diffReasons?: string[];
};

/** `pulumi preview --json`: the steps the engine would take. */
export function previewJson(
  stack: Stack,
): { steps: PreviewStep[]; diagnostics?: { message: string }[] } & ExecResult {
  const r = pulumi(stack, ["preview", "--json", "--diff"]);
  let parsed: { steps?: PreviewStep[]; diagnostics?: { message: string }[] } = {};
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    parsed = {};
  }
  return {
    ...r,
    steps: parsed.steps ?? [],
    ...(parsed.diagnostics ? { diagnostics: parsed.diagnostics } : {}),
  };
}
