// Every example program type-checks against the SDK as a user's program would see it. The e2e
// tier runs the programs without type-checking (to spare the lab's CPU), so this is where a
// change of the SDK's types that breaks an example shows.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

test("the examples type-check against the SDK's sources", () => {
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "test/examples.tsconfig.json")], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect({ code: r.status, output: r.stdout + r.stderr }).toEqual({ code: 0, output: "" });
}, 180_000);
