// The whole tree type-checks, lints, is formatted, and keeps DESIGN.md's layering (no import
// from core into ssh or Pulumi, no cycles): a shortcut fails the test run, not just a review.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

test("npm run check passes", () => {
  const r = spawnSync("npm", ["run", "--silent", "check"], {
    cwd: path.join(__dirname, "../.."),
    encoding: "utf8",
    timeout: 600_000,
  });
  expect({ code: r.status, output: r.status === 0 ? "" : `${r.stdout}\n${r.stderr}` }).toEqual({
    code: 0,
    output: "",
  });
}, 600_000);
