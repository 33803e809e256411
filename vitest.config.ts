import { defineConfig } from "vitest/config";

const shared = {
  // Google clients otherwise probe the GCE metadata server; cdktf otherwise phones home.
  env: { METADATA_SERVER_DETECTION: "none", CHECKPOINT_DISABLE: "1", GOOGLE_CLOUD_PROJECT: "gw3cx-test" },
};

export default defineConfig({
  test: {
    ...shared,
    globalSetup: ["test/setup/compiled-cli.global.ts", "test/setup/stand-ins.global.ts"],
    // On CI a JSON report lets .ci/run prove that no tier was skipped.
    ...(process.env.CI === "true"
      ? { reporters: ["default", "json"], outputFile: { json: "test-results/vitest.json" } }
      : {}),
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
