// `npm run bench -- NAME` runs bench/NAME.ts, which prints its own figures.
import * as fs from "node:fs";
import * as path from "node:path";

const name = process.argv[2];
const available = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME\nbenchmarks: ${available.join(", ") || "(none yet)"}`);
  process.exit(name ? 2 : 1);
}

process.argv.splice(2, 1);
require(path.join(__dirname, name));
