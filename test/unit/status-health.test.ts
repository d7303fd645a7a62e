// The Volume's `health` output (issue 12): refresh reports bricks online/total, entries pending heal
// and in split-brain, from the one script that reads the first node's inventory; a new output never
// makes a preview show changes, and never becomes an input.
import type * as resources from "../../provider/resources";
import type { Inputs } from "../../provider/resources/handler";
import { FakeCluster } from "../support/fake-cluster";
import { volumeInputs } from "../support/handler-inputs";

const mockHolder: { cluster?: FakeCluster; scripts: string[] } = { scripts: [] };

// provider/node's operations are played by the fake cluster of the test (test/support/fake-cluster).
jest.mock("../../provider/node", () =>
  jest
    .requireActual<typeof import("../support/fake-cluster")>("../support/fake-cluster")
    .nodeWithFakeOperations(
      () => mockHolder.cluster,
      ["createBrick", "createVolume", "setOptions", "startVolume", "readVolume", "readInventory"],
    ),
);

// Any script run outside the fake's operations (the health fallback) is recorded and answers as a
// node whose glusterd is down would: no sections.
const recordingExecutor = (t: { manageAddress: string }) => ({
  host: t.manageAddress,
  run: async (s: { step: string }) => {
    mockHolder.scripts.push(`${t.manageAddress} ${s.step}`);
    return { code: 0, stdout: "@@done\n", stderr: "", durationMs: 0 };
  },
});

const GiB = 1024 ** 3;
const hosts = [1, 2, 3].map((i) => ({
  manage: `10.0.0.${i}`,
  storage: `gfs-${i}`,
  devices: { "/dev/vdb": 20 * GiB },
}));

let handlers: Record<resources.ResourceKind, resources.Handler>;
let c: FakeCluster;
let state: Inputs;

beforeEach(async () => {
  c = new FakeCluster("lab", hosts);
  mockHolder.cluster = c;
  mockHolder.scripts = [];
  jest.resetModules();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const r = require("../../provider/resources") as typeof resources;
  handlers = r.handlersFor(r.createDeps({ executors: recordingExecutor as never }));
  const checked = await handlers.volume.check({}, volumeInputs({ __provider: "serialized", options: {} }));
  state = (await handlers.volume.create(checked.inputs!)).outs;
});

const specs = () => c.volumes.get("data")!.bricks;

test("a healthy volume: 3/3 online, nothing pending, in no script of its own", async () => {
  const r = await handlers.volume.read("data", state);
  expect(r.props!.health).toEqual({
    state: "healthy",
    bricksOnline: 3,
    bricksTotal: 3,
    offlineBricks: [],
    pendingHeal: 0,
    splitBrain: 0,
    problems: [],
  });
  expect(mockHolder.scripts).toEqual([]);
});

test("a brick offline and entries pending heal show as drift in the outputs", async () => {
  c.offlineBricks.add(specs()[2]!);
  c.healPending.set("data", { pending: 7, splitBrain: 0 });
  const r = await handlers.volume.read("data", state);
  expect(r.props!.health).toEqual({
    state: "degraded",
    bricksOnline: 2,
    bricksTotal: 3,
    offlineBricks: [specs()[2]],
    pendingHeal: 7,
    splitBrain: 0,
    problems: [],
  });
  // Outputs only: never an input, so the next preview does not diff it.
  expect(r.inputs).not.toHaveProperty("health");
  expect(r.props!.status).toBe("Started");
});

test("split-brain and healing are told apart from degraded", async () => {
  c.healPending.set("data", { pending: 2, splitBrain: 0 });
  expect((await handlers.volume.read("data", state)).props!.health).toMatchObject({
    state: "healing",
    pendingHeal: 2,
  });
  c.healPending.set("data", { pending: 0, splitBrain: 1 });
  expect((await handlers.volume.read("data", state)).props!.health).toMatchObject({
    state: "split-brain",
    splitBrain: 1,
  });
});

test("a stopped volume: every brick offline, state stopped", async () => {
  c.volumes.get("data")!.status = "Stopped";
  expect((await handlers.volume.read("data", state)).props!.health).toEqual({
    state: "stopped",
    bricksOnline: 0,
    bricksTotal: 3,
    offlineBricks: specs(),
    problems: [],
  });
});

test("the first node's glusterd silent: another node is asked, and what failed is said, not thrown", async () => {
  const report = c.operations().readInventory;
  // The first node answers its inventory but its health sections say glusterd did not run.
  jest.spyOn(c, "operations").mockReturnValue({
    ...c.operations(),
    readInventory: async (exec: { host: string }, opts: Record<string, unknown> = {}) => {
      const inv = await report(exec as never, opts as never);
      if (inv.health) inv.health = { ...inv.health, glusterdDown: true };
      return inv;
    },
  } as never);
  const r = await handlers.volume.read("data", state);
  expect(mockHolder.scripts).toEqual(["10.0.0.2 node.health"]);
  expect(r.props!.health).toMatchObject({
    state: "unknown",
    bricksTotal: 3,
    problems: ["glusterd did not answer on the node asked"],
  });
});

describe("preview of a stack: the new output never shows as a change", () => {
  test("state written before health existed", async () => {
    const { health: _h, ...old } = state;
    const checked = await handlers.volume.check(old, volumeInputs({ __provider: "serialized", options: {} }));
    expect(await handlers.volume.diff("data", old, checked.inputs!)).toEqual({ changes: false });
  });

  test("state whose last refresh found a brick offline", async () => {
    c.offlineBricks.add(specs()[0]!);
    const refreshed = { ...(await handlers.volume.read("data", state)).props! };
    expect(refreshed.health).toMatchObject({ state: "degraded" });
    const checked = await handlers.volume.check(
      refreshed,
      volumeInputs({ __provider: "serialized", options: {} }),
    );
    expect(checked.inputs).not.toHaveProperty("health");
    expect(await handlers.volume.diff("data", refreshed, checked.inputs!)).toEqual({ changes: false });
  });
});
