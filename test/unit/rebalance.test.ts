// Whether `up` waits for a rebalance (`rebalance: "wait" | "start"`) and what the state says of it:
// the rebalance script run with bash against a stub `gluster` (a run is recorded as done only when
// Gluster says a run covering every brick completed; `start` returns right after starting), the
// state refresh derives from the marks and Gluster's status, and the Volume's diff converging on
// an unfinished rebalance.
import { runScript } from "../support/run-script";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as n from "../../provider/node";
import { createDeps, registry } from "../../provider/resources";
import { rebalanceState } from "../../provider/resources/volumes";
import { volumeInputsSchema } from "../../provider/core/model";
import { volumeInputs } from "../support/handler-inputs";
import { RecordedNodes, ok, out, recorded } from "../support/recording-executor";

const INFO_2X3 = recorded("gluster-10.3/volume-info-2x3.xml");
const STATUS_COMPLETED = recorded("gluster-10.3/rebalance-status-completed.xml");

/** The recorded 2x3 volume's info, with the rebalance marks given (mark: covered by the last completed run). */
function info(marks: { mark?: number; started?: number }): string {
  let xml = INFO_2X3.replace(
    /\n\s*<option>\n\s*<name>user\.glusterfs-provider\.rebalanced<\/name>\n\s*<value>6<\/value>\n\s*<\/option>/,
    "",
  );
  const opt = (k: string, v: number) =>
    `\n          <option>\n            <name>${k}</name>\n            <value>${v}</value>\n          </option>`;
  const extra =
    (marks.mark !== undefined ? opt(n.REBALANCED_OPTION, marks.mark) : "") +
    (marks.started !== undefined ? opt(n.REBALANCE_STARTED_OPTION, marks.started) : "");
  xml = xml.replace("<options>", `<options>${extra}`);
  return xml;
}
const status = (s: string) =>
  STATUS_COMPLETED.replace(/<statusStr>completed<\/statusStr>/g, `<statusStr>${s}</statusStr>`);

describe("the rebalance script against a stub gluster", () => {
  /**
   * Answers `volume info` and `volume rebalance status` from files the test writes; logs `start`
   * and `set`; a start makes the run complete at once (the status file says so).
   */
  const STUB = String.raw`gluster() {
  local s=$GLUSTER_STORE
  case "$3" in
    info) cat "$s/info.xml" ;;
    rebalance)
      if [ "$5" = start ]; then echo "rebalance start" >>"$s/log"; sed 's:<statusStr>[^<]*</statusStr>:<statusStr>completed</statusStr>:' "$s/status.xml" >"$s/status.new"; mv "$s/status.new" "$s/status.xml"; printf '<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>\n'
      else cat "$s/status.xml"; fi ;;
    set) echo "set $5 $6" >>"$s/log"; printf '<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/></cliOutput>\n' ;;
  esac
}
`;
  async function run(
    wait: boolean,
    marks: { mark?: number; started?: number },
    gluster: string,
  ): Promise<{ code: number; stderr: string; log: string[]; changes: string[]; state?: string | undefined }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rebalance-"));
    fs.writeFileSync(path.join(dir, "info.xml"), info(marks));
    fs.writeFileSync(path.join(dir, "status.xml"), status(gluster));
    const text = n
      .buildRebalance({ cluster: "lab", name: "smoke", wait })
      .text.replace(/\/run\/lock\/glusterfs-provider\.lock/g, path.join(dir, "node.lock"))
      .replace(/^# step: /m, `${STUB}# step: `);
    const r = await runScript(text, { ...process.env, GLUSTER_STORE: dir });
    const logFile = path.join(dir, "log");
    const markers = n.parseMarkers(r.stdout);
    return {
      code: r.code,
      stderr: r.stderr,
      log: fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n") : [],
      changes: markers.changes,
      state: markers.values.get("rebalance"),
    };
  }

  test("start: starts the run, records which bricks it covers, says in progress, never marks it done", async () => {
    const r = await run(false, { mark: 3 }, "not started");
    expect(r).toEqual({
      code: 0,
      stderr: "",
      log: ["rebalance start", `set ${n.REBALANCE_STARTED_OPTION} 6`],
      changes: ["volume rebalance smoke start"],
      state: "in progress",
    });
  });

  test("start: a run already going (it covers every brick: add-brick waits for it) is not started again", async () => {
    const r = await run(false, { mark: 3 }, "in progress");
    expect(r.log).toEqual([`set ${n.REBALANCE_STARTED_OPTION} 6`]);
    expect(r.state).toBe("in progress");
  });

  test("a completed run that covered every brick is recorded as done, not started again (either mode)", async () => {
    for (const wait of [false, true]) {
      const r = await run(wait, { mark: 3, started: 6 }, "completed");
      expect(r).toEqual({
        code: 0,
        stderr: "",
        log: [`set ${n.REBALANCED_OPTION} 6`],
        changes: ["volume rebalance smoke completed"],
        state: "completed",
      });
    }
  });

  test("wait: Gluster's 'completed' of an older run (fewer bricks) starts a new one and waits for it", async () => {
    const r = await run(true, { mark: 3, started: 3 }, "completed");
    expect(r.code).toBe(0);
    expect(r.log).toEqual([
      "rebalance start",
      `set ${n.REBALANCE_STARTED_OPTION} 6`,
      `set ${n.REBALANCED_OPTION} 6`,
    ]);
    expect(r.state).toBe("completed");
  });

  test("nothing to do when the mark covers every brick", async () => {
    const r = await run(false, { mark: 6 }, "completed");
    expect({ log: r.log, changes: r.changes, state: r.state }).toEqual({
      log: [],
      changes: [],
      state: "completed",
    });
  });
});

describe("what refresh says of the rebalance", () => {
  const live = (marks: { mark?: number; started?: number }) => n.parseVolumeInfo(info(marks))[0]!;

  test.each([
    [{ mark: 6 }, undefined, "completed"],
    [{ mark: 3 }, "in progress", "in progress"],
    [{ mark: 3, started: 6 }, "completed", "completed"],
    [{ mark: 3, started: 3 }, "completed", "pending"],
    [{ mark: 3 }, "not started", "pending"],
    [{ mark: 3, started: 6 }, "failed", "failed"],
    [{ mark: 3, started: 6 }, "stopped", "stopped"],
    [{}, undefined, "unknown"],
  ] as const)("marks %j, Gluster says %s: %s", (marks, said, state) => {
    expect(n.rebalanceStateOf(live(marks), said)).toBe(state);
  });

  test("one set: nothing to spread", () => {
    const one = { ...live({}), brickCount: 3, bricks: live({}).bricks.slice(0, 3) };
    expect(n.rebalanceStateOf(one, undefined)).toBe("not-needed");
  });

  test("marks lagging: Gluster's status is read on the volume's node, once; a failed read is unknown, never done", async () => {
    const v = volumeInputsSchema.parse(volumeInputs({ name: "smoke" }));
    const nodes = new RecordedNodes();
    const deps = createDeps({ executors: nodes.executors });
    nodes.on("10.0.0.1", "volume.rebalance-status", ok(out.section("status", STATUS_COMPLETED)));
    expect(await rebalanceState(deps, v, live({ mark: 3, started: 6 }))).toBe("completed");
    expect(nodes.steps()).toEqual(["10.0.0.1 volume.rebalance-status"]);
    expect(await rebalanceState(deps, v, live({ mark: 6 }))).toBe("completed");
    expect(nodes.steps()).toHaveLength(1); // the marks said it: no read
    nodes.unreachable("10.0.0.1");
    expect(await rebalanceState(deps, v, live({ mark: 3, started: 6 }))).toBe("unknown");
  });
});

describe("the Volume's diff converges on an unfinished rebalance", () => {
  const deps = createDeps({ executors: new RecordedNodes().executors });
  const state = (rebalanceStatus: string, rebalance?: string) => ({
    ...volumeInputs(),
    ...(rebalance ? { rebalance } : {}),
    rebalanceStatus,
  });
  test.each([
    ["completed", undefined, false],
    ["not-needed", undefined, false],
    ["unknown", undefined, false],
    ["pending", "start", true],
    ["failed", "start", true],
    ["stopped", undefined, true],
    ["in progress", undefined, true], // `up` waits by default: it waits for the run
    ["in progress", "start", false], // started on purpose: refresh follows it
  ] as const)("state %s with rebalance %s: changes %s", async (status, mode, changes) => {
    const olds = state(status, mode);
    const { rebalanceStatus: _s, ...news } = olds;
    expect(await registry.volume.diff(deps, olds, news)).toEqual({ changes });
  });

  test("switching between wait and start changes nothing on the nodes", async () => {
    const olds = state("completed");
    expect(await registry.volume.diff(deps, olds, { ...volumeInputs(), rebalance: "start" })).toEqual({
      changes: false,
    });
  });
});
