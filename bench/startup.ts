// How long the package's entry points take to load: every `pulumi preview` pays this in the
// program and again in the dynamic provider process.
import { performance } from "node:perf_hooks";

const entries = ["../sdk/nodejs", "../provider/dynamic", "../provider/core"];
for (const entry of entries) {
  const start = performance.now();
  require(entry);
  console.log(`load ${entry.replace("../", "")}: ${(performance.now() - start).toFixed(1)} ms`);
}
console.log(`heap used: ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB`);
