// Enforces DESIGN.md's layering: imports point from the front ends down to the pure core,
// never back up, and never in a circle.
const layer = (from, mayNotImport, why) => ({
  name: `layer-${from}`,
  severity: "error",
  comment: why,
  from: { path: `^provider/${from}/` },
  to: { path: mayNotImport },
});

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    layer(
      "core",
      "^provider/(node|ssh|resources|dynamic|native|cli)/|node_modules/(@pulumi|ssh2)",
      "core is pure and imports nothing of ours",
    ),
    layer(
      "node",
      "^provider/(ssh|resources|dynamic|native|cli)/|node_modules/(@pulumi|ssh2)",
      "node builds scripts and parses output; it imports only core",
    ),
    layer(
      "ssh",
      "^provider/(node|resources|dynamic|native|cli)/|node_modules/@pulumi",
      "ssh is transport; it imports only core",
    ),
    layer("resources", "^provider/(dynamic|native|cli)/", "handlers sit below the front ends"),
    layer(
      "dynamic",
      "^provider/(native|cli|core|node|ssh)/",
      "the dynamic front end only adapts the handlers",
    ),
    layer("native", "^provider/(dynamic|cli|node|ssh)/", "the native front end only adapts the handlers"),
    layer(
      "cli",
      "^provider/(dynamic|native|node|ssh)/|node_modules/@pulumi",
      "the command is a front end: it plans with core and reads nodes through the resources layer",
    ),
    {
      name: "sdk-only-dynamic",
      severity: "error",
      comment:
        "the SDK reaches the provider only through the dynamic adapters (and the pure core for topology helpers)",
      from: { path: "^sdk/" },
      to: { path: "^provider/(node|ssh|resources|native|cli)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
