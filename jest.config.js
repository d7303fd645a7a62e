// Three tiers, one runner. `npm test` runs them all in one process. The lab and e2e tiers
// each name the lab's global setup: Jest runs it only for tiers that have tests to run, the
// first call boots the lab and the second finds it up, so both tiers share one lab, torn
// down at the end by the run that started it.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }];

/** @type {import('jest').Config} */
module.exports = {
  // One lab is shared by the lab and e2e tiers: their test files must never run at once.
  maxWorkers: 1,
  projects: [
    {
      displayName: "unit",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      testEnvironment: "node",
      setupFilesAfterEnv: ["<rootDir>/test/support/unit-timeout.ts"],
    },
    {
      displayName: "lab",
      testMatch: ["<rootDir>/test/lab/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      testEnvironment: "node",
      setupFilesAfterEnv: ["<rootDir>/test/support/long-timeout.ts"],
      globalSetup: "<rootDir>/test/support/lab-global-setup.ts",
      globalTeardown: "<rootDir>/test/support/lab-global-teardown.ts",
    },
    {
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      testEnvironment: "node",
      setupFilesAfterEnv: ["<rootDir>/test/support/long-timeout.ts"],
      globalSetup: "<rootDir>/test/support/lab-global-setup.ts",
      globalTeardown: "<rootDir>/test/support/lab-global-teardown.ts",
    },
  ],
};
