// Concurrent identical node reads share one round trip (provider/resources/shared-reads.ts), and
// nothing is remembered once a read settles: a later read goes to the node again.
import { createDeps } from "../../provider/resources";
import { SharedReads, readKey } from "../../provider/resources/shared-reads";
import { RecordedNodes, recorded } from "../support/recording-executor";

const INVENTORY = recorded("inventory-gluster-1.txt");
const node = (port?: number) => ({
  manageAddress: "10.0.0.1",
  connection: { user: "root", password: "pw", ...(port ? { host: "127.0.0.1", port } : {}) },
});

describe("SharedReads", () => {
  test("a read joins the identical read in flight; once settled, the next read runs again", async () => {
    const reads = new SharedReads();
    let runs = 0;
    const read = () => new Promise<number>((resolve) => setTimeout(() => resolve(++runs), 10));
    const [a, b] = await Promise.all([reads.join("k", read), reads.join("k", read)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(reads.pending).toBe(0);
    expect(await reads.join("k", read)).toBe(2);
  });

  test("a failed read fails every reader that joined it, and is not remembered", async () => {
    const reads = new SharedReads();
    let runs = 0;
    const failing = () =>
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`down ${++runs}`)), 5));
    const both = await Promise.allSettled([reads.join("k", failing), reads.join("k", failing)]);
    expect(both.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"))).toEqual([
      "down 1",
      "down 1",
    ]);
    await expect(reads.join("k", failing)).rejects.toThrow("down 2");
  });

  test("two nodes behind one forwarding host (same address, other port) never share a read", () => {
    expect(readKey(node(2201), "inventory")).not.toBe(readKey(node(2202), "inventory"));
    expect(readKey(node(), "inventory", { devices: ["/dev/vdb"] })).not.toBe(readKey(node(), "inventory"));
    expect(readKey(node(2201), "inventory")).toBe(readKey(node(2201), "inventory"));
  });
});

test("deps.inventory: resources reading one node at once cost one inventory script", async () => {
  const nodes = new RecordedNodes().on("10.0.0.1", "node.inventory", { stdout: INVENTORY });
  const deps = createDeps({ executors: nodes.executors });
  const reads = await Promise.all([1, 2, 3].map(() => deps.inventory(node())));
  expect(nodes.steps()).toEqual(["10.0.0.1 node.inventory"]);
  expect(new Set(reads).size).toBe(1);
  await deps.inventory(node());
  expect(nodes.steps()).toEqual(["10.0.0.1 node.inventory", "10.0.0.1 node.inventory"]);
});
