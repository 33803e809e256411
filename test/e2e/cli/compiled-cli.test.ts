import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, GW3CX_BIN, REPO_ROOT } from "./run-cli.js";

const MODULE_LOG_HOOK = fileURLToPath(new URL("./fixtures/log-resolved-modules.mjs", import.meta.url));

/** Every module URL `gw3cx ARGS` resolved while it ran. */
function modulesLoadedBy(args: string[]): { stdout: string; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-modules-"));
  const log = join(dir, "modules.log");
  writeFileSync(log, "");
  try {
    const stdout = execFileSync(process.execPath, ["--import", MODULE_LOG_HOOK, GW3CX_BIN, ...args], {
      cwd: REPO_ROOT,
      env: cliEnv({ GW3CX_MODULE_LOG: log }),
      encoding: "utf8",
    });
    return { stdout, modules: readFileSync(log, "utf8").split("\n").filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the gw3cx bin runs compiled JavaScript", () => {
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
    .version;

  for (const args of [["--version"], ["status", "--help"]]) {
    it(`gw3cx ${args.join(" ")} loads the compiled CLI, no TypeScript loader and no client library`, () => {
      const { stdout, modules } = modulesLoadedBy(args);
      if (args[0] === "--version") expect(stdout.trim()).toBe(version);
      else expect(stdout).toContain("recent runs, held runs");
      expect(modules.some((url) => url.endsWith("/dist/cli/main.mjs"))).toBe(true);
      const heavy = modules.filter((url) =>
        /node_modules\/(tsx|esbuild|better-sqlite3|@google-cloud|@googleapis|google-auth-library)\/|\.ts$/.test(
          url,
        ),
      );
      expect(heavy).toEqual([]);
    });
  }
});

/**
 * The bin's rebuild rule, on a throwaway package: a copy of the bin, a build script standing in for
 * scripts/build-cli.ts that writes a "fresh" CLI, and a dist/cli that says "old".
 */
describe("a missing or stale build is compiled first, never run as it is", () => {
  const root = mkdtempSync(join(tmpdir(), "gw3cx-bin-"));
  const bin = join(root, "shared", "cli", "gw3cx.mjs");
  const source = join(root, "shared", "cli", "main.ts");
  mkdirSync(join(root, "shared", "cli"), { recursive: true });
  mkdirSync(join(root, "scripts"));
  copyFileSync(GW3CX_BIN, bin);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  writeFileSync(source, "// the CLI's source\n");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const buildScript = (exitCode: number) =>
    writeFileSync(
      join(root, "scripts", "build-cli.ts"),
      [
        'import { mkdirSync, statSync, writeFileSync } from "node:fs";',
        `if (${exitCode} !== 0) process.exit(${exitCode});`,
        'mkdirSync("dist/cli", { recursive: true });',
        'writeFileSync("dist/cli/main.mjs", "console.log(\\"fresh build\\");\\n");',
        'const { mtimeMs, size }: { mtimeMs: number; size: number } = statSync("shared/cli/main.ts");',
        'writeFileSync("dist/cli/build-info.json", JSON.stringify({ entry: "main.mjs", inputs: { "shared/cli/main.ts": { mtimeMs, size } } }));',
      ].join("\n"),
    );
  const oldBuild = (inputs: Record<string, { mtimeMs: number; size: number }>) => {
    mkdirSync(join(root, "dist", "cli"), { recursive: true });
    writeFileSync(join(root, "dist", "cli", "main.mjs"), 'console.log("old build");\n');
    writeFileSync(
      join(root, "dist", "cli", "build-info.json"),
      JSON.stringify({ entry: "main.mjs", inputs }),
    );
  };
  const runBin = () =>
    spawnSync(process.execPath, [bin], { cwd: root, env: cliEnv({}), encoding: "utf8", timeout: 30_000 });

  it("not built yet: builds, then runs the new build", () => {
    buildScript(0);
    rmSync(join(root, "dist"), { recursive: true, force: true });
    const result = runBin();
    expect(result.stderr).toContain("the CLI is not compiled yet; compiling the CLI first");
    expect(result.stdout).toBe("fresh build\n");
    expect(result.status).toBe(0);
  });

  it("up to date: runs the build as it is, silently", () => {
    const { mtimeMs, size } = statSync(source);
    oldBuild({ "shared/cli/main.ts": { mtimeMs, size } });
    const result = runBin();
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("old build\n");
  });

  it("a source changed since the build: rebuilds before running", () => {
    const { size } = statSync(source);
    oldBuild({ "shared/cli/main.ts": { mtimeMs: 1, size } });
    const result = runBin();
    expect(result.stderr).toContain("shared/cli/main.ts changed since the last build");
    expect(result.stdout).toBe("fresh build\n");
  });

  it("the rebuild fails: says what to run, exits 1 and runs nothing", () => {
    buildScript(3);
    oldBuild({ "shared/cli/main.ts": { mtimeMs: 1, size: 0 } });
    const result = runBin();
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("could not compile the CLI; run `npm run build`");
  });
});
