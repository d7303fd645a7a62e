import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "examples/*/node_modules/**",
      "**/*.js",
      "**/*.cjs",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Benchmarks load modules by name on purpose; the SDK's provider objects must `require` the
    // provider by package name inside their methods so that Pulumi serializes nothing else.
    files: ["bench/**/*.ts", "sdk/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The placement core and the node script builders are pure: no I/O, no Pulumi, no transport.
    files: ["provider/core/**/*.ts", "provider/node/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@pulumi/*", "ssh2", "node:*", "fs", "child_process", "net", "os"],
              message: "core and node are pure: no I/O or Pulumi here (see DESIGN.md Layout).",
            },
          ],
        },
      ],
    },
  },
);
