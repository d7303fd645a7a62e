// `npm run schema`: writes schema.json from the registry (provider/resources/schema.ts). The
// committed file is checked against this output by test/unit/schema.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchema } from "../resources/schema";

const ROOT = path.resolve(__dirname, "../..");

/** The schema for this package.json's version and Pulumi SDK. */
export function generatedSchema(root: string = ROOT): Record<string, unknown> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
    dependencies: Record<string, string>;
  };
  const pulumi = (pkg.dependencies["@pulumi/pulumi"] ?? "").replace(/^[\^~=v]+/, "");
  return packageSchema({ version: pkg.version, pulumiVersion: pulumi });
}

async function main(): Promise<void> {
  // Formatted as the repository's prettier check expects (prettier is a development tool).
  const prettier = await import("prettier");
  const file = path.join(ROOT, "schema.json");
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(generatedSchema()), { ...options, filepath: file });
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
