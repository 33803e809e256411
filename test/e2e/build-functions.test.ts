import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFunctions } from "../../scripts/build-functions.js";

/** A throwaway project with two functions sharing one library, to see what each bundle pulls in. */
function fixture(): string {
  const root = mkdtempSync(join(tmpdir(), "gw3cx-build-"));
  mkdirSync(join(root, "functions"));
  mkdirSync(join(root, "lib"));
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({ dependencies: { "@google-cloud/functions-framework": "^5.0.0", zod: "4.0.0" } }),
  );
  writeFileSync(
    join(root, "package-lock.json"),
    JSON.stringify({
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { dependencies: { "@google-cloud/functions-framework": "^5.0.0", zod: "4.0.0" } },
        "node_modules/@google-cloud/functions-framework": {
          version: "5.0.5",
          dependencies: { express: "^5" },
        },
        "node_modules/express": { version: "5.1.0" },
        "node_modules/zod": { version: "4.0.0" },
      },
    }),
  );
  writeFileSync(
    join(root, "lib", "both.ts"),
    'export const usedByWebhook = () => "WEBHOOK_ONLY_MARKER";\nexport const usedByWorker = () => "WORKER_ONLY_MARKER";\n',
  );
  writeFileSync(
    join(root, "functions", "webhook.ts"),
    'import { usedByWebhook } from "../lib/both.js";\nexport const handler = () => usedByWebhook();\nconsole.log(handler());\n',
  );
  writeFileSync(
    join(root, "functions", "worker.ts"),
    'import { usedByWorker } from "../lib/both.js";\nexport const handler = () => usedByWorker();\nconsole.log(handler());\n',
  );
  return root;
}

describe("npm run build", () => {
  it("bundles each function on its own, tree-shaken, with a deployable package.json", async () => {
    const root = fixture();
    const built = await buildFunctions(root);
    expect(built.map((f) => f.name)).toEqual(["webhook", "worker"]);

    const webhook = readFileSync(join(root, "dist/functions/webhook/index.mjs"), "utf8");
    expect(webhook).toContain("WEBHOOK_ONLY_MARKER");
    expect(webhook).not.toContain("WORKER_ONLY_MARKER");

    const manifest = JSON.parse(readFileSync(join(root, "dist/functions/webhook/package.json"), "utf8"));
    // The exact version the project installed, not the range: what the tests ran is what deploys.
    expect(manifest).toMatchObject({
      type: "module",
      main: "index.mjs",
      dependencies: { "@google-cloud/functions-framework": "5.0.5" },
    });
    expect(manifest.dependencies.zod).toBeUndefined();
    const lock = JSON.parse(readFileSync(join(root, "dist/functions/webhook/package-lock.json"), "utf8"));
    expect(Object.keys(lock.packages).sort()).toEqual([
      "",
      "node_modules/@google-cloud/functions-framework",
      "node_modules/express",
    ]);

    // The bundle runs on its own, with no TypeScript and no project files beside it.
    const out = execFileSync(process.execPath, [join(root, "dist/functions/worker/index.mjs")], {
      encoding: "utf8",
    });
    expect(out.trim()).toBe("WORKER_ONLY_MARKER");
  });

  it("refuses a function that reaches the embedded runtime's native SQLite module", async () => {
    const root = fixture();
    writeFileSync(
      join(root, "functions", "worker.ts"),
      'import Database from "better-sqlite3";\nexport const open = () => new Database(":memory:");\n',
    );
    await expect(buildFunctions(root)).rejects.toThrow(/functions\/worker.ts imports better-sqlite3/);
  });
});
