// schema.json, the zod model and what the handlers return must describe the same properties.
import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import {
  brickSchema,
  clusterInputsSchema,
  connectionSchema,
  deviceInputsSchema,
  memberSchema,
  nodeInputsSchema,
  proxyConnectionSchema,
  tagRuleSchema,
  topologyNodeSchema,
  volumeInputsSchema,
  volumeOutputsSchema,
} from "../../provider/core/model";

type Props = Record<string, unknown>;
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "../../schema.json"), "utf8")) as {
  resources: Record<string, { inputProperties: Props; properties: Props; requiredInputs: string[] }>;
  types: Record<string, { properties: Props }>;
};

const keys = (s: z.ZodObject) => Object.keys(s.shape).sort();
const resource = (name: string) => schema.resources[`glusterfs:index:${name}`]!;
const type = (name: string) => Object.keys(schema.types[`glusterfs:index:${name}`]!.properties).sort();
const outputsOnly = (name: string) => {
  const r = resource(name);
  return Object.keys(r.properties)
    .filter((k) => !(k in r.inputProperties))
    .sort();
};

describe("schema.json matches the zod model", () => {
  test.each([
    ["GlusterCluster", clusterInputsSchema],
    ["Node", nodeInputsSchema],
    ["Device", deviceInputsSchema],
    ["Volume", volumeInputsSchema],
  ] as const)("%s inputs", (name, model) => {
    expect(Object.keys(resource(name).inputProperties).sort()).toEqual(keys(model));
  });

  test("resource outputs", () => {
    expect(outputsOnly("Volume")).toEqual(keys(volumeOutputsSchema));
    expect(outputsOnly("Node")).toEqual(["peerState", "peerUuid"]);
    expect(outputsOnly("Device")).toEqual(["freeBytes", "sizeBytes", "vgName"]);
  });

  test.each([
    ["Brick", brickSchema],
    ["Connection", connectionSchema],
    ["ProxyConnection", proxyConnectionSchema],
    ["TagRule", tagRuleSchema],
    ["TopologyNode", topologyNodeSchema],
    ["Member", memberSchema],
    ["ClusterPolicy", clusterInputsSchema],
  ] as const)("type %s", (name, model) => {
    expect(type(name)).toEqual(keys(model));
  });

  test("durability", () => {
    const durability = volumeInputsSchema.shape.durability.unwrap() as unknown as z.ZodObject;
    expect(type("Durability")).toEqual(keys(durability));
  });
});
