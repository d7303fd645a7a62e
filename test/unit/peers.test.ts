// Leaving the pool dials only nodes the program declared: never a host name taken from
// gluster's peer list (not known to be reachable, nor to be who it says, and it would be
// offered this node's credentials).
import type { NodeInputs } from "../../provider/core/model";

const dialled: string[] = [];
const failing = new Set<string>();
jest.mock("../../provider/node", () => ({
  readInventory: async () => ({
    volumes: [],
    problems: [],
    peers: [
      { hostname: "localhost", uuid: "self", connected: true },
      { hostname: "10.0.0.1", uuid: "a", connected: true },
      { hostname: "gluster-peer.example", uuid: "b", connected: true },
    ],
  }),
  peerState: async () => [],
  peerDetach: async (exec: { host: string }) => {
    if (failing.has(exec.host)) throw new Error(`${exec.host}: peer detach failed`);
    return { changes: ["detached"] };
  },
}));

import { createDeps } from "../../provider/resources";
import { leavePool as leave } from "../../provider/resources/peers";

/** A process whose executors only record which host they were made for (the node calls are mocked). */
const deps = createDeps({
  executors: (t) => {
    const host = t.connection.host ?? t.manageAddress;
    dialled.push(host);
    return { host, run: async () => Promise.reject(new Error("not used")) };
  },
});
const leavePool = (n: NodeInputs) => leave(deps, n);

const node = (members: NodeInputs["members"]): NodeInputs => ({
  clusterId: "c",
  manageAddress: "10.0.0.3",
  storageAddress: "10.0.0.3",
  zone: 1,
  tags: {},
  connection: { host: "10.0.0.3", password: "node-3-Passw0rd" },
  members,
});
const declared = { manageAddress: "10.0.0.1", storageAddress: "10.0.0.1", connection: { host: "10.0.0.1" } };

beforeEach(() => {
  dialled.length = 0;
  failing.clear();
});

test("detaches through a declared member", async () => {
  await leavePool(node([declared]));
  expect(dialled).toEqual(["10.0.0.3", "10.0.0.1"]);
});

test("when every declared member fails, fails too: no host from gluster's peer list is dialled", async () => {
  failing.add("10.0.0.1");
  await expect(leavePool(node([declared]))).rejects.toThrow("10.0.0.1: peer detach failed");
  expect(dialled).not.toContain("gluster-peer.example");
  expect(dialled).toEqual(["10.0.0.3", "10.0.0.1"]);
});

test("with no declared member left but peers in the pool, refuses and says what to do", async () => {
  const err = (await leavePool(node([])).catch((e: unknown) => e)) as Error;
  expect(err.message).toContain("gluster-peer.example");
  expect(err.message).toContain("gluster peer detach 10.0.0.3");
  expect(dialled).toEqual(["10.0.0.3"]);
});

test("its refusals name the step and the node, like every other step's", async () => {
  const { RemoteError } = await import("../../provider/core/errors");
  const err = (await leavePool(node([])).catch((e: unknown) => e)) as InstanceType<typeof RemoteError>;
  expect(err).toBeInstanceOf(RemoteError);
  expect(err.step).toBe("node.leave-pool");
  expect(err.node).toBe("10.0.0.3");
  expect(err.message).toMatch(/^10\.0\.0\.3: step node\.leave-pool refused: /);
});
