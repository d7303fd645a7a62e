// The native plugin's Provider (`pulumi-resource-glusterfs`): one dispatch table from type token
// to the registry's handlers, the same ones the dynamic adapters serve. @pulumi/pulumi's provider
// server speaks gRPC and hands over raw wire values: secrets arrive wrapped in their signature
// object and must leave wrapped again, or the state would hold them in the clear.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import {
  type Deps,
  type Handler,
  type Inputs,
  PACKAGE,
  RESOURCE_KINDS,
  type ResourceKind,
  type StackDefaults,
  createDeps,
  handlersFor,
  importVolume,
  registry,
  tokenOf,
} from "../resources";

/** The wire form of a secret (Pulumi's property value signature for secrets). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Path = (string | number)[];

function isSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The value with every secret unwrapped, and the paths where a secret was found. */
export function unwrapSecrets(value: unknown, at: Path = [], found: Path[] = []): unknown {
  if (isSecret(value)) {
    found.push(at);
    return unwrapSecrets(value.value, at, found);
  }
  if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, [...at, i], found));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, [...at, k], found)]),
    );
  return value;
}

function wrap(value: unknown): unknown {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** The values with each path that exists wrapped as a secret (a path the handler dropped is skipped). */
export function wrapSecrets(values: Inputs, paths: Path[]): Inputs {
  const out = structuredClone(values);
  for (const p of paths) {
    if (p.length === 0) continue;
    let holder: unknown = out;
    for (const key of p.slice(0, -1)) {
      if (isSecret(holder)) holder = holder.value;
      holder = holder && typeof holder === "object" ? (holder as Record<string, unknown>)[key] : undefined;
    }
    if (isSecret(holder)) holder = holder.value;
    const last = p[p.length - 1]!;
    if (holder && typeof holder === "object" && (holder as Record<string, unknown>)[last] !== undefined) {
      const h = holder as Record<string | number, unknown>;
      h[last] = wrap(h[last]);
    }
  }
  return out;
}

/** The resource kind a URN names (`urn:pulumi:stack::project::[parent$]glusterfs:index:Volume::name`). */
export function kindOfUrn(urn: string): ResourceKind {
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  const kind = RESOURCE_KINDS.find((k) => tokenOf(k) === type);
  if (!kind)
    throw new Error(
      `unknown resource type ${JSON.stringify(type)}: this plugin serves ${RESOURCE_KINDS.map(tokenOf).join(", ")}`,
    );
  return kind;
}

/** `project/stack/name` of a URN: the owner a Volume is marked with, as the SDK sets it. */
export function ownerOfUrn(urn: string): string {
  const [stackPart = "", project = "", , ...name] = urn.split("::");
  const stack = stackPart.replace(/^urn:pulumi:/, "");
  return `${project}/${stack}/${name.join("::")}`;
}

/** The keys of stack config this provider reads (`glusterfs:<key>`), the dynamic side's vocabulary. */
const CONFIG_KEYS = ["privateKey", "password", "privateKeyPassword", "knownHostsFile"] as const;

/**
 * Provider config from the map the engine gives a plugin (`PULUMI_CONFIG`): keys with or without
 * the `glusterfs:` namespace; secret values may come wrapped.
 */
export function stackDefaultsOf(config: Record<string, unknown>): StackDefaults {
  const out: StackDefaults = {};
  for (const key of CONFIG_KEYS) {
    const raw = unwrapSecrets(config[`${PACKAGE}:${key}`] ?? config[key]);
    if (typeof raw === "string" && raw !== "") out[key] = raw;
  }
  return out;
}

/** Where the package's schema.json is: beside the package.json above this file (source or dist). */
function schemaFile(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "schema.json");
    if (fs.existsSync(file) && fs.existsSync(path.join(dir, "package.json"))) return file;
    if (path.dirname(dir) === dir) throw new Error(`schema.json not found above ${from}`);
  }
}

export class GlusterProvider implements pulumiProvider.Provider {
  readonly version: string;
  private readonly handlers: Record<ResourceKind, Handler>;

  constructor(
    private readonly deps: Deps = createDeps(),
    private readonly schemaPath: string = schemaFile(),
  ) {
    this.handlers = handlersFor(deps);
    this.version = (JSON.parse(fs.readFileSync(this.schemaPath, "utf8")) as { version: string }).version;
  }

  /** Provider config: the stack's default credentials and known-hosts file. */
  configure(config: Record<string, unknown>): void {
    this.deps.configure(stackDefaultsOf(config));
  }

  async getSchema(): Promise<string> {
    return fs.readFileSync(this.schemaPath, "utf8");
  }

  /**
   * Runs one call with secrets unwrapped; what it returns is wrapped again where any input held
   * a secret at the same path, and at the resource's declared secret inputs (`credentials`).
   */
  private secrets(kind: ResourceKind, ...values: unknown[]) {
    const paths: Path[] = registry[kind].secretInputs.map((k) => [k]);
    const open = values.map((v) => unwrapSecrets(v ?? {}, [], paths) as Inputs);
    const seal = (v: Inputs | undefined) => (v === undefined ? undefined : wrapSecrets(v, paths));
    return { open, seal };
  }

  async check(urn: string, olds: unknown, news: unknown): Promise<pulumiProvider.CheckResult> {
    const kind = kindOfUrn(urn);
    const { open, seal } = this.secrets(kind, olds, news);
    const [o, n] = open as [Inputs, Inputs];
    // The SDK defaults a Volume's name to the resource's and sets its owner; other languages get the URN's.
    if (kind === "volume" && n.name === undefined) n.name = urn.split("::").pop();
    if (kind === "volume" && n.owner === undefined) n.owner = ownerOfUrn(urn);
    const r = await this.handlers[kind].check(o, n);
    return {
      ...(r.inputs ? { inputs: seal(r.inputs) } : {}),
      ...(r.failures ? { failures: r.failures } : {}),
    };
  }

  async diff(id: string, urn: string, olds: unknown, news: unknown): Promise<pulumiProvider.DiffResult> {
    const kind = kindOfUrn(urn);
    const [o, n] = this.secrets(kind, olds, news).open as [Inputs, Inputs];
    return this.handlers[kind].diff(id, o, n);
  }

  async create(urn: string, inputs: unknown): Promise<pulumiProvider.CreateResult> {
    const kind = kindOfUrn(urn);
    const { open, seal } = this.secrets(kind, inputs);
    const r = await this.handlers[kind].create(open[0]!);
    return { id: r.id, outs: seal(r.outs) };
  }

  async read(id: string, urn: string, props?: unknown): Promise<pulumiProvider.ReadResult> {
    const kind = kindOfUrn(urn);
    const { open, seal } = this.secrets(kind, props);
    // Nothing but an ID (`pulumi import`, the `import` option): a Volume is read back from the nodes.
    const byId = Object.keys(open[0]!).length === 0;
    if (byId && kind !== "volume")
      throw new Error(
        `import of ${tokenOf(kind)} ${id}: not supported yet; only ${tokenOf("volume")} can be imported by ID`,
      );
    const r = byId ? await importVolume(this.deps, id) : await this.handlers[kind].read(id, open[0]!);
    // No id: the resource is gone (refresh drops it from state).
    return { id: r.id ?? "", props: seal(r.props) ?? {}, ...(r.inputs ? { inputs: seal(r.inputs) } : {}) };
  }

  async update(id: string, urn: string, olds: unknown, news: unknown): Promise<pulumiProvider.UpdateResult> {
    const kind = kindOfUrn(urn);
    const { open, seal } = this.secrets(kind, olds, news);
    const r = await this.handlers[kind].update(id, open[0]!, open[1]!);
    return { outs: seal(r.outs) };
  }

  async delete(id: string, urn: string, props: unknown): Promise<void> {
    const kind = kindOfUrn(urn);
    await this.handlers[kind].delete(id, this.secrets(kind, props).open[0]!);
  }
}
