import * as fs from "node:fs";
import * as path from "node:path";
import { ValidationError } from "../../provider/core/errors";
import { nodeInputsSchema } from "../../provider/core/model";
import { parseTagRule } from "../../provider/core/placement";
import { parseHeketiTopology, topologyToInventory } from "../../provider/core/topology";
import { usableDeviceSize } from "../../provider/core/sizing";
import { GiB, TiB } from "../../provider/core/units";
import { nodeInputs } from "../support/handler-inputs";

const fixture = (name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/topology", name), "utf8"));

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error("expected a ValidationError");
}

describe("Heketi topology.json", () => {
  it("reads Heketi's format unchanged: bare device strings, objects, destroydata, tags", () => {
    const topology = parseHeketiTopology({
      clusters: [
        {
          nodes: [
            {
              node: { hostnames: { manage: ["n1"], storage: ["10.0.0.1"] }, zone: 1, tags: { rack: "a" } },
              devices: ["/dev/sdb", { name: "/dev/sdc", destroydata: true, tags: { arbiter: "required" } }],
            },
          ],
        },
      ],
    });
    expect(topology.clusters[0]!.id).toBe("0");
    const node = topology.clusters[0]!.nodes[0]!;
    expect(node.zone).toBe(1);
    expect(node.devices).toEqual([
      { name: "/dev/sdb", destroydata: false, tags: {} },
      { name: "/dev/sdc", destroydata: true, tags: { arbiter: "required" } },
    ]);
  });

  it("reads size and free in bytes or with binary suffixes, and converts to an inventory", () => {
    const topology = parseHeketiTopology(fixture("three-zones.json"));
    const inventory = topologyToInventory(topology);
    const node1 = inventory.clusters[0]!.nodes[0]!;
    expect(node1.manage).toBe("node-1");
    expect(node1.devices[0]!.size).toBe(1 * TiB);
    expect(node1.devices[0]!.free).toBe(usableDeviceSize(1 * TiB));
    const node4 = inventory.clusters[0]!.nodes[3]!;
    expect(node4.devices[0]!.free).toBe(500 * GiB);
    expect(inventory.clusters[0]!.nodes[4]!.devices[0]!.size).toBe(2 * TiB);
  });

  it("prefers live sizes when given", () => {
    const topology = parseHeketiTopology(fixture("no-sizes.json"));
    const inventory = topologyToInventory(topology, () => ({ size: 2 * TiB, free: 1 * TiB }));
    expect(inventory.clusters[0]!.nodes[0]!.devices[0]!.free).toBe(1 * TiB);
  });

  it("names the JSON path, the value and what is allowed", () => {
    const zone = errorOf(() => parseHeketiTopology(fixture("bad-zone.json")));
    expect(zone.field).toBe("topology.clusters[0].nodes[0].node.zone");
    expect(zone.value).toBe(0);
    expect(zone.message).toMatch(/zone >= 1/);

    const size = errorOf(() =>
      parseHeketiTopology({
        clusters: [
          {
            nodes: [
              {
                node: { hostnames: { manage: ["a"], storage: ["a"] }, zone: 1 },
                devices: [{ name: "/dev/sdb", size: "2TB" }],
              },
            ],
          },
        ],
      }),
    );
    expect(size.field).toBe("topology.clusters[0].nodes[0].devices[0].size");
    expect(size.value).toBe("2TB");
    expect(size.allowed).toMatch(/GiB/);

    const missing = errorOf(() =>
      parseHeketiTopology({ clusters: [{ nodes: [{ node: { zone: 1 }, devices: [] }] }] }),
    );
    expect(missing.field).toBe("topology.clusters[0].nodes[0].node.hostnames");

    expect(errorOf(() => parseHeketiTopology({})).field).toBe("topology.clusters");
    expect(errorOf(() => topologyToInventory(parseHeketiTopology(fixture("no-sizes.json")))).field).toBe(
      "topology.clusters[0].nodes[0].devices[0].size",
    );
  });

  it("refuses duplicate nodes, duplicate devices and free above size", () => {
    const n = (manage: string, devices: unknown[]) => ({
      node: { hostnames: { manage: [manage], storage: [manage] }, zone: 1 },
      devices,
    });
    expect(
      errorOf(() => parseHeketiTopology({ clusters: [{ nodes: [n("a", []), n("a", [])] }] })).field,
    ).toBe("topology.clusters[0].nodes[1].node.hostnames.manage[0]");
    expect(
      errorOf(() => parseHeketiTopology({ clusters: [{ nodes: [n("a", ["/dev/sdb", "/dev/sdb"])] }] })).field,
    ).toBe("topology.clusters[0].nodes[0].devices[1].name");
    expect(
      errorOf(() =>
        parseHeketiTopology({
          clusters: [{ nodes: [n("a", [{ name: "/dev/sdb", size: "1GiB", free: "2GiB" }])] }],
        }),
      ).field,
    ).toBe("topology.clusters[0].nodes[0].devices[0].free");
  });
});

describe("one tag rule for topology.json, Node and Device inputs and tag-match rules", () => {
  const topologyWith = (tags: Record<string, string>) => ({
    clusters: [
      {
        nodes: [
          {
            node: { hostnames: { manage: ["n1"], storage: ["10.0.0.1"] }, zone: 1, tags },
            devices: ["/dev/sdb"],
          },
        ],
      },
    ],
  });
  const key40 = "rack.row-".padEnd(40, "x");

  it("a 40-character name and a value with blanks pass all three (names over Heketi's 32 were refused by topology.json only)", () => {
    const tags = { [key40]: "row 4 / bay 2" };
    expect(parseHeketiTopology(topologyWith(tags)).clusters[0]!.nodes[0]!.tags).toEqual(tags);
    expect(nodeInputsSchema.safeParse(nodeInputs({ tags })).success).toBe(true);
    expect(parseTagRule(`${key40}!=row 4 / bay 2`)).toEqual({
      key: key40,
      value: "row 4 / bay 2",
      negate: true,
    });
  });

  it.each([
    ["bad key", "v", "is not a tag name", "1-64 letters"],
    ["k".repeat(65), "v", "is not a tag name", "1-64 letters"],
    ["k", "a\nb", "control character", "printable"],
    ["k", "x".repeat(129), "is 129 characters long", "at most 128"],
  ])("%p = %p is refused by all three, naming the field, the value and the fix", (key, value, why, fix) => {
    const fromFile = errorOf(() => parseHeketiTopology(topologyWith({ [key]: value })));
    expect(fromFile.field).toBe(`topology.clusters[0].nodes[0].node.tags.${key}`);
    expect(fromFile.message).toContain(why);
    expect(fromFile.message).toContain(fix);
    const parsed = nodeInputsSchema.safeParse(nodeInputs({ tags: { [key]: value } }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["tags", key]);
    const rule = errorOf(() => parseTagRule(`${key}=${value}`, "tagMatch[0]"));
    expect(rule.field).toBe("tagMatch[0]");
    expect(rule.message).toContain(why);
    expect(rule.message).toContain(fix);
  });
});
