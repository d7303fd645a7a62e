// Cluster-wide settings (GlusterCluster `options`, the ClusterOptions resource): refused in
// preview unless `gluster volume set all` takes the key and value; applied, read back (drift),
// changed and reset through the first node that answers, with the recording executor; and the
// built scripts run with bash against a stub `gluster` that keeps the pool's option store, so
// "set only what differs" and "reset only what is set" are checked on the script itself.
import { runScript } from "../support/run-script";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as n from "../../provider/node";
import { type Inputs, createDeps, handlersFor, registry } from "../../provider/resources";
import { RecordedNodes, failed, ok, out } from "../support/recording-executor";

const member = (i: number) => ({
  manageAddress: `10.0.0.${i}`,
  storageAddress: `gfs-${i}`,
  connection: { user: "root" },
});
const inputs = (over: Inputs = {}): Inputs => ({
  clusterId: "lab",
  options: { "cluster.max-bricks-per-process": "4", "cluster.brick-multiplex": "on" },
  members: [member(1), member(2), member(3)],
  ...over,
});

function setup() {
  const nodes = new RecordedNodes();
  const deps = createDeps({ executors: nodes.executors });
  return { nodes, deps, handler: handlersFor(deps).clusterOptions };
}

/** `gluster volume get all all --xml` as the CLI writes it: one <Opt> per option, defaults marked. */
function getAllXml(set: Record<string, string>): string {
  const defaults: [string, string][] = [
    ["cluster.server-quorum-ratio", "51"],
    ["cluster.enable-shared-storage", "disable"],
    ["cluster.op-version", "100000"],
    ["cluster.max-op-version", "100000"],
    ["cluster.brick-multiplex", "disable"],
    ["cluster.max-bricks-per-process", "250"],
    ["glusterd.vol_count_per_thread", "100"],
    ["cluster.localtime-logging", "disable"],
    ["cluster.daemon-log-level", "INFO"],
    ["cluster.brick-graceful-cleanup", "disable"],
  ];
  const opts = defaults.map(([k, d]) => {
    const v = set[k] ?? (k.includes("op-version") ? d : `${d} (DEFAULT)`);
    return `    <Opt>\n      <Option>${k}</Option>\n      <Value>${v}</Value>\n    </Opt>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`,
    `<cliOutput>`,
    `  <opRet>0</opRet>`,
    `  <opErrno>0</opErrno>`,
    `  <opErrstr/>`,
    `  <volGetopts>`,
    `    <count>${defaults.length}</count>`,
    ...opts,
    `  </volGetopts>`,
    `</cliOutput>`,
  ].join("\n");
}

describe("ClusterOptions: validation in preview", () => {
  test("cluster-wide keys with values Gluster takes pass, defaults untouched", async () => {
    const { handler, nodes } = setup();
    const r = await handler.check({}, inputs());
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.options).toEqual(inputs().options);
    expect(nodes.runs).toEqual([]); // preview reads nothing for this resource
  });

  test.each([
    [
      "performance.cache-size",
      "64MB",
      /^options\.performance\.cache-size: the key "performance\.cache-size" is not a cluster-wide Gluster option .*cluster\.brick-multiplex.*; set a volume option on the Volume's `options` instead$/,
    ],
    [
      "cluster.op-version",
      "100000",
      /^options\.cluster\.op-version: the key "cluster\.op-version" is a one-way upgrade step.*cluster\.max-op-version.*remove it from `options`$/,
    ],
    ["cluster.max-op-version", "1", /is read-only/],
    ["cluster.enable-shared-storage", "enable", /gluster_shared_storage.*remove it from `options`$/],
    [
      "cluster.brick-multiplex",
      "banana",
      /^options\.cluster\.brick-multiplex: the value "banana" is not one cluster\.brick-multiplex takes; give a boolean: on or off .*Gluster's default is disable/,
    ],
    ["cluster.max-bricks-per-process", "-1", /the value "-1" starts with "-"/],
    ["glusterd.vol_count_per_thread", "300", /the value "300" .* a whole number from 5 to 200/],
    ["cluster.daemon-log-level", "info", /the value "info" .*INFO, WARNING, ERROR, DEBUG or TRACE/],
    ["cluster.server-quorum-ratio", "101", /the value "101" .*percentage from 0 to 100/],
  ])("%s = %s is refused naming the field, the value and the fix", async (key, value, reason) => {
    const { handler } = setup();
    const r = await handler.check({}, inputs({ options: { [key]: value } }));
    expect(r.failures).toEqual([{ property: `options.${key}`, reason: expect.stringMatching(reason) }]);
  });

  test("a cluster without nodes is refused", async () => {
    const { handler } = setup();
    const r = await handler.check({}, inputs({ members: [] }));
    expect(r.failures?.[0]?.reason).toMatch(/^members: the cluster has no nodes: declare Nodes/);
  });

  test("diff: only the options change anything (which nodes are asked does not)", async () => {
    const { handler } = setup();
    expect(await handler.diff("lab", inputs(), inputs({ members: [member(2)] }))).toEqual({ changes: false });
    expect(
      await handler.diff("lab", inputs(), inputs({ options: { "cluster.brick-multiplex": "off" } })),
    ).toEqual({ changes: true });
  });
});

describe("ClusterOptions: life cycle through the first node that answers", () => {
  test("create sets multiplexing first, through the next node when the first is down", async () => {
    const { handler, nodes } = setup();
    nodes
      .unreachable("10.0.0.1")
      .on("10.0.0.2", "cluster.options-set", ok(out.change("volume set all cluster.brick-multiplex")));
    const r = await handler.create(inputs());
    expect(r).toEqual({ id: "lab", outs: inputs() });
    expect(nodes.steps()).toEqual(["10.0.0.2 cluster.options-set"]);
    expect(nodes.runs[0]!.text).toMatch(
      /^set -- cluster\.brick-multiplex on cluster\.max-bricks-per-process 4$/m,
    );
  });

  test("create on a pool where no node answers fails naming each node, nothing recorded", async () => {
    const { handler, nodes } = setup();
    nodes
      .unreachable("10.0.0.1")
      .unreachable("10.0.0.3")
      .on("10.0.0.2", "cluster.options-set", failed("gluster volume set all: Connection failed"));
    await expect(handler.create(inputs())).rejects.toThrow(
      /cluster lab: setting cluster-wide options failed on every node \(10\.0\.0\.1: .*ECONNREFUSED.*; 10\.0\.0\.2: .*Connection failed.*; 10\.0\.0\.3: .*\)/s,
    );
  });

  test("refresh reads the values back: a changed value shows as it is, a key reset outside Pulumi drops out", async () => {
    const { handler, nodes } = setup();
    const state = inputs({
      options: {
        "cluster.brick-multiplex": "on",
        "cluster.max-bricks-per-process": "4",
        "cluster.localtime-logging": "enable",
      },
    });
    nodes.on(
      "10.0.0.1",
      "cluster.options-read",
      ok(
        out.section(
          "options",
          getAllXml({ "cluster.brick-multiplex": "on", "cluster.max-bricks-per-process": "8" }),
        ),
      ),
    );
    const r = await handler.read("lab", state);
    const options = { "cluster.brick-multiplex": "on", "cluster.max-bricks-per-process": "8" };
    expect(r.props?.options).toEqual(options);
    expect(r.inputs?.options).toEqual(options);
    expect(nodes.steps()).toEqual(["10.0.0.1 cluster.options-read"]);
    // The next preview shows the drift against the program's values.
    expect(await handler.diff("lab", r.inputs!, state)).toEqual({ changes: true });
  });

  test("update sets every declared key (what differs on the node) and resets the removed ones", async () => {
    const { handler, nodes } = setup();
    nodes
      .on("10.0.0.1", "cluster.options-set", ok(out.change("volume set all cluster.max-bricks-per-process")))
      .on("10.0.0.1", "cluster.options-reset", ok(out.change("volume reset all cluster.localtime-logging")));
    const before = inputs({
      options: { "cluster.brick-multiplex": "on", "cluster.localtime-logging": "enable" },
    });
    const after = inputs({
      options: { "cluster.brick-multiplex": "on", "cluster.max-bricks-per-process": "8" },
    });
    expect(await handler.update("lab", before, after)).toEqual({ outs: after });
    expect(nodes.steps()).toEqual(["10.0.0.1 cluster.options-set", "10.0.0.1 cluster.options-reset"]);
    expect(nodes.runs[0]!.text).toMatch(
      /^set -- cluster\.brick-multiplex on cluster\.max-bricks-per-process 8$/m,
    );
    expect(nodes.runs[1]!.text).toMatch(/^for k in cluster\.localtime-logging; do$/m);
  });

  test("delete resets every key it set, multiplexing last", async () => {
    const { handler, nodes } = setup();
    nodes.on("10.0.0.1", "cluster.options-reset", ok());
    await handler.delete("lab", inputs());
    expect(nodes.steps()).toEqual(["10.0.0.1 cluster.options-reset"]);
    expect(nodes.runs[0]!.text).toMatch(
      /^for k in cluster\.max-bricks-per-process cluster\.brick-multiplex; do$/m,
    );
  });

  test("the builders refuse what preview refuses (nothing unchecked reaches a node)", () => {
    expect(() => n.buildSetClusterOptions({ "performance.cache-size": "1" })).toThrow(/not a cluster-wide/);
    expect(() => n.buildSetClusterOptions({ "cluster.brick-multiplex": "on; reboot" })).toThrow(
      /not one cluster\.brick-multiplex takes/,
    );
    expect(() => n.buildResetClusterOptions(["cluster.op-version"])).toThrow(/one-way upgrade/);
  });

  test("the registry declares it with its credentials secret", () => {
    expect(registry.clusterOptions.secretInputs).toEqual(["credentials"]);
  });
});

describe("ClusterOptions scripts against a stub gluster", () => {
  /**
   * A `gluster` keeping the option store in files, answering get/set/reset all with the CLI's
   * XML, and logging each mutating call: the script's decisions are what is checked.
   */
  const STUB = String.raw`gluster() {
  local store=$GLUSTER_STORE; shift # --mode=script
  local verb=$2 key=$4
  case "$1 $verb" in
    "volume get")
      local v; if [ -f "$store/$key" ]; then v=$(cat "$store/$key"); else v="dflt (DEFAULT)"; fi
      printf '<cliOutput>\n  <opRet>0</opRet>\n  <opErrno>0</opErrno>\n  <opErrstr/>\n  <volGetopts>\n    <count>1</count>\n    <Opt>\n      <Option>%s</Option>\n      <Value>%s</Value>\n    </Opt>\n  </volGetopts>\n</cliOutput>\n' "$key" "$v" ;;
    "volume set") printf '%s' "$5" >"$store/$key"; echo "set $key $5" >>"$store/.log"; printf '<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>\n' ;;
    "volume reset") rm -f "$store/$key"; echo "reset $key" >>"$store/.log"; printf '<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>\n' ;;
  esac
}
`;
  function run(
    text: string,
    dir: string,
    stub = STUB,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const script = text
      .replace(/\/run\/lock\/glusterfs-provider\.lock/g, path.join(dir, "node.lock"))
      .replace(/^# step: /m, `${stub}# step: `);
    return runScript(script, { ...process.env, GLUSTER_STORE: dir });
  }
  const log = (dir: string) =>
    fs.existsSync(path.join(dir, ".log"))
      ? fs.readFileSync(path.join(dir, ".log"), "utf8").trim().split("\n")
      : [];

  test("set changes only what differs; re-run changes nothing; reset touches only keys that are set", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-options-"));
    fs.writeFileSync(path.join(dir, "cluster.max-bricks-per-process"), "4");
    const set = n.buildSetClusterOptions({
      "cluster.max-bricks-per-process": "4",
      "cluster.brick-multiplex": "on",
    });
    const first = await run(set.text, dir);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(n.parseMarkers(first.stdout).changes).toEqual(["volume set all cluster.brick-multiplex"]);
    expect(log(dir)).toEqual(["set cluster.brick-multiplex on"]);

    const again = await run(set.text, dir);
    expect(n.parseMarkers(again.stdout)).toMatchObject({ changes: [], done: true });

    const reset = await run(
      n.buildResetClusterOptions([
        "cluster.brick-multiplex",
        "cluster.max-bricks-per-process",
        "cluster.localtime-logging",
      ]).text,
      dir,
    );
    expect(reset).toMatchObject({ code: 0, stderr: "" });
    expect(n.parseMarkers(reset.stdout).changes).toEqual([
      "volume reset all cluster.max-bricks-per-process",
      "volume reset all cluster.brick-multiplex",
    ]);
    expect(fs.readdirSync(dir).filter((f) => !f.startsWith(".") && f !== "node.lock")).toEqual([]);
  });

  test("a get that fails fails the step before anything is set", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-options-"));
    const down = `gluster() { echo "$*" >>"$GLUSTER_STORE/.log"; printf '<cliOutput><opRet>-1</opRet><opErrno>0</opErrno><opErrstr>glusterd down</opErrstr></cliOutput>\\n'; }\n`;
    const r = await run(n.buildSetClusterOptions({ "cluster.brick-multiplex": "on" }).text, dir, down);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gluster volume get all cluster\.brick-multiplex: glusterd down/);
    expect(log(dir)).toEqual(["--mode=script volume get all cluster.brick-multiplex --xml"]);
  });

  test("the read parses what `volume get all all` says is set, leaving defaults out", () => {
    expect(n.parseClusterOptions(getAllXml({ "cluster.brick-multiplex": "on" }))).toEqual({
      "cluster.op-version": "100000",
      "cluster.max-op-version": "100000",
      "cluster.brick-multiplex": "on",
    });
  });
});
