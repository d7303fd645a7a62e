// Heketi's topology.json is checked against a JSON Schema (ajv) before the model's rules: a
// document of the wrong shape is refused naming the JSON path, the value and what is allowed.
import * as fs from "node:fs";
import * as path from "node:path";
import { ValidationError } from "../../provider/core/errors";
import { checkHeketiTopologyShape } from "../../provider/core/heketi-topology-schema";
import { parseHeketiTopology } from "../../provider/core/topology";

const fixtures = path.join(__dirname, "../fixtures/topology");
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8"));

function refusal(json: unknown): ValidationError {
  try {
    parseHeketiTopology(json);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error("expected a ValidationError");
}

/** Three nodes of one cluster, one device each; `edit` changes the parsed copy. */
function topology(edit: (t: { clusters: { nodes: Record<string, unknown>[] }[] }) => void): unknown {
  const t = {
    clusters: [
      {
        nodes: [1, 2, 3].map((i) => ({
          node: { hostnames: { manage: [`n${i}`], storage: [`10.0.0.${i}`] }, zone: i },
          devices: ["/dev/sdb"],
        })),
      },
    ],
  };
  edit(t);
  return t;
}

describe("topology.json shape (JSON Schema)", () => {
  test.each(fs.readdirSync(fixtures).filter((f) => f.endsWith(".json")))(
    "the fixture %s has the shape of a topology.json",
    (name) => {
      expect(() => checkHeketiTopologyShape(fixture(name))).not.toThrow();
    },
  );

  test("a zone that is not an integer: names clusters[0].nodes[2].node.zone", () => {
    const err = refusal(
      topology((t) => {
        (t.clusters[0]!.nodes[2]!.node as Record<string, unknown>).zone = "3";
      }),
    );
    expect(err.field).toBe("topology.clusters[0].nodes[2].node.zone");
    expect(err.value).toBe("3");
    expect(err.message).toBe(
      'topology.clusters[0].nodes[2].node.zone: invalid value "3" (must be integer); allowed: an integer',
    );
  });

  test("a device that is neither a path nor an object with a name", () => {
    const noName = refusal(
      topology((t) => {
        t.clusters[0]!.nodes[1]!.devices = [{ destroydata: true }];
      }),
    );
    expect(noName.field).toBe("topology.clusters[0].nodes[1].devices[0].name");
    expect(noName.value).toBeUndefined();
    const number = refusal(
      topology((t) => {
        t.clusters[0]!.nodes[0]!.devices = [42];
      }),
    );
    expect(number.field).toBe("topology.clusters[0].nodes[0].devices[0]");
    expect(number.allowed).toBe("an object");
  });

  test("missing pieces are named where they belong", () => {
    expect(refusal({}).field).toBe("topology.clusters");
    expect(refusal({ clusters: [] }).allowed).toBe("a list of at least 1");
    const noStorage = refusal(
      topology((t) => {
        (t.clusters[0]!.nodes[0]!.node as { hostnames: Record<string, unknown> }).hostnames = {
          manage: ["n1"],
        };
      }),
    );
    expect(noStorage.field).toBe("topology.clusters[0].nodes[0].node.hostnames.storage");
    const tags = refusal(
      topology((t) => {
        (t.clusters[0]!.nodes[0]!.node as Record<string, unknown>).tags = { rack: 7 };
      }),
    );
    expect(tags.field).toBe("topology.clusters[0].nodes[0].node.tags.rack");
    expect(tags.allowed).toBe("a string");
  });

  test("keys Heketi writes that this provider does not use are accepted (a topology.json is read unchanged)", () => {
    const t = topology((x) => {
      (x.clusters[0] as Record<string, unknown>).block = true;
      x.clusters[0]!.nodes[0]!.extra = { anything: 1 };
    });
    expect(() => parseHeketiTopology(t)).not.toThrow();
  });
});
