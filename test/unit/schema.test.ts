// schema.json is made from the registry (`npm run schema`): the committed file must be what the
// generator writes now, a valid Pulumi package schema (Pulumi's own metaschema, via ajv), and it
// must keep offering what users and other-language SDKs read from it.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { connectionSecretFields } from "../../provider/core/model";
import { generatedSchema } from "../../provider/native/write-schema";
import { RESOURCE_KINDS, registry, tokenOf } from "../../provider/resources";

type Property = {
  description?: string;
  $ref?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
  type?: string;
};
type ObjectType = { properties?: Record<string, Property>; required?: string[] };
type Resource = ObjectType & { inputProperties: Record<string, Property>; requiredInputs: string[] };
type Schema = {
  name: string;
  version: string;
  resources: Record<string, Resource>;
  types: Record<string, ObjectType>;
  config: { variables: Record<string, Property> };
};

const ROOT = path.join(__dirname, "../..");
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8")) as Schema;

describe("schema.json", () => {
  it("is what `npm run schema` writes from the registry (run it after changing a declaration)", () => {
    expect(schema).toEqual(generatedSchema());
  });

  it("is a valid Pulumi package schema (Pulumi's metaschema)", () => {
    const metaschema = JSON.parse(
      fs.readFileSync(path.join(ROOT, "test/fixtures/pulumi/package-metaschema.json"), "utf8"),
    ) as object;
    // The metaschema names `format: regex`, which ajv leaves to ajv-formats; formats are not checked here.
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(
      metaschema,
    );
    expect({ valid: validate(schema), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
    // It can fail: a property of a type Pulumi does not have is refused, at its path.
    const broken = structuredClone(schema);
    broken.resources["glusterfs:index:Node"]!.inputProperties.zone!.type = "int";
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe(
      "/resources/glusterfs:index:Node/inputProperties/zone/type",
    );
  });

  it("is named glusterfs, versioned as the package, with one resource per registry entry", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(schema.name).toBe("glusterfs");
    expect(schema.version).toBe(pkg.version);
    expect(Object.keys(schema.resources).sort()).toEqual(
      ["ClusterOptions", "Device", "GlusterCluster", "Node", "Volume"].map((r) => `glusterfs:index:${r}`),
    );
    expect(RESOURCE_KINDS.map(tokenOf).sort()).toEqual(Object.keys(schema.resources).sort());
  });

  it.each(RESOURCE_KINDS)("%s: inputs are the model's, outputs the declaration's, each described", (kind) => {
    const decl = registry[kind];
    const r = schema.resources[tokenOf(kind)]!;
    const extra = decl.secretInputs.filter((k) => !(k in decl.inputs.shape));
    expect(Object.keys(r.inputProperties).sort()).toEqual(
      [...Object.keys(decl.inputs.shape), ...extra].sort(),
    );
    expect(
      Object.keys(r.properties!)
        .filter((k) => !(k in r.inputProperties))
        .sort(),
    ).toEqual(Object.keys(decl.outputs.shape).sort());
    for (const [name, prop] of Object.entries({ ...r.inputProperties, ...r.properties })) {
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
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(Object.keys(schema.types)).toContain(ref.slice(9, -1));
  });

  it("marks secrets: connection secret fields, every credentials input, the stack's default credentials", () => {
    for (const t of ["Connection", "ProxyConnection", "NodeCredentials", "ProxyCredentials"]) {
      const props = schema.types[`glusterfs:index:${t}`]!.properties!;
      for (const f of connectionSecretFields)
        expect({ t, f, secret: props[f]?.secret }).toEqual({ t, f, secret: true });
      expect(
        Object.entries(props).filter(
          ([k, p]) => p.secret && !(connectionSecretFields as readonly string[]).includes(k),
        ),
      ).toEqual([]);
    }
    for (const token of ["Node", "Device", "Volume", "ClusterOptions"].map((r) => `glusterfs:index:${r}`)) {
      expect(schema.resources[token]!.inputProperties.credentials?.secret).toBe(true);
      expect(schema.resources[token]!.properties!.credentials?.secret).toBe(true);
    }
    const vars = schema.config.variables;
    expect(Object.keys(vars).sort()).toEqual([
      "knownHostsFile",
      "password",
      "privateKey",
      "privateKeyPassword",
    ]);
    expect(Object.keys(vars).filter((k) => vars[k]!.secret)).toEqual([
      "privateKey",
      "password",
      "privateKeyPassword",
    ]);
  });

  it("marks the inputs whose change replaces the resource, as the provider's diff decides", () => {
    const replacing = (name: string) =>
      Object.entries(schema.resources[`glusterfs:index:${name}`]!.inputProperties)
        .filter(([, p]) => p.willReplaceOnChanges)
        .map(([k]) => k)
        .sort();
    expect(replacing("GlusterCluster")).toEqual(["clusterId"]);
    expect(replacing("Node")).toEqual(["clusterId", "manageAddress", "storageAddress"]);
    expect(replacing("Device")).toEqual(["clusterId", "node", "path"]);
    expect(replacing("Volume")).toEqual([]);
  });
});
