import * as fs from "node:fs";
import * as path from "node:path";

type Property = { description?: string; $ref?: string };
type ObjectType = { properties?: Record<string, Property> };
type Resource = ObjectType & { inputProperties?: Record<string, Property> };

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "../../schema.json"), "utf8")) as {
  name: string;
  resources: Record<string, Resource>;
  types: Record<string, ObjectType>;
};

describe("schema.json", () => {
  it("is a Pulumi package schema named glusterfs with the four resources", () => {
    expect(schema.name).toBe("glusterfs");
    expect(Object.keys(schema.resources).sort()).toEqual(
      ["Device", "GlusterCluster", "Node", "Volume"].map((r) => `glusterfs:index:${r}`),
    );
  });

  it.each(Object.keys(schema.resources))("%s describes every property", (token) => {
    const resource = schema.resources[token]!;
    const all = { ...resource.inputProperties, ...resource.properties };
    expect(Object.keys(all).length).toBeGreaterThan(0);
    for (const [name, prop] of Object.entries(all)) {
      expect({ name, description: (prop.description ?? "").length > 0 }).toEqual({ name, description: true });
    }
  });

  it("describes every property of every type, and every $ref resolves", () => {
    for (const [token, type] of Object.entries(schema.types)) {
      for (const [name, prop] of Object.entries(type.properties ?? {})) {
        expect({ token, name, description: (prop.description ?? "").length > 0 }).toEqual({
          token,
          name,
          description: true,
        });
      }
    }
    const refs = JSON.stringify(schema).match(/"#\/types\/[^"]+"/g) ?? [];
    for (const ref of refs) expect(Object.keys(schema.types)).toContain(ref.slice(9, -1));
  });
});
