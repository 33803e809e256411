/**
 * Compiles the `gw3cx` CLI (shared/cli/main.ts) to JavaScript in dist/cli/, so a call starts in
 * Node's time rather than a TypeScript loader's. Run by `npm run build` and on `npm install`
 * (prepare); the bin (shared/cli/gw3cx.mjs) also runs it when the build is missing or older than
 * its sources, using the list of inputs this script records in dist/cli/build-info.json.
 *
 * Our code is bundled with a few plain-JavaScript packages (BUNDLED_PACKAGES); the rest stay in
 * node_modules. Each command is split into its own chunk, so `gw3cx --help` loads nothing of
 * Google, 3CX or SQLite.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** What the bin compares against the sources: each input with the mtime and size it had when built. */
export interface CliBuildInfo {
  entry: string;
  inputs: Record<string, { mtimeMs: number; size: number }>;
}

export const CLI_OUT_DIR = join("dist", "cli");
export const CLI_ENTRY = "main.mjs";
export const CLI_BUILD_INFO = "build-info.json";
const THIS_SCRIPT = "scripts/build-cli.ts";

/**
 * Packages bundled into the CLI: plain JavaScript that loads nothing from beside itself. Bundled,
 * zod's 200-odd modules cost one file read instead of 200 resolutions at every call. Every other
 * package stays external (native code: better-sqlite3; files loaded at run time: the Google
 * clients' protos and discovery documents, pino's transports).
 */
const BUNDLED_PACKAGES = new Set([
  "zod",
  "yaml",
  "commander",
  "cli-table3",
  "cli-progress",
  "p-limit",
  "p-retry",
  "libphonenumber-js",
]);

/** Every dependency not bundled, with its subpaths (`pkg/sub`), as esbuild externals. */
function externalPackages(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((name) => !BUNDLED_PACKAGES.has(name))
    .flatMap((name) => [name, `${name}/*`]);
}

/** Builds into a fresh directory and swaps it in, so a CLI starting meanwhile never sees half a build. */
export async function buildCli(root: string): Promise<{ outDir: string; inputs: number }> {
  const outDir = join(root, CLI_OUT_DIR);
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: "shared/cli/main.ts" },
    outdir: staging,
    outExtension: { ".js": ".mjs" },
    // Chunks beside the entry: code that finds files relative to itself (package.json) sits at
    // the same depth below the package root as in shared/cli/.
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: externalPackages(root),
    // The bundled CommonJS packages (commander, cli-table3) call require(); give each ESM file one.
    banner: {
      js: "import { createRequire as __gw3cxRequire } from 'node:module'; const require = __gw3cxRequire(import.meta.url);",
    },
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  const inputs: CliBuildInfo["inputs"] = {};
  for (const path of [...Object.keys(result.metafile.inputs), THIS_SCRIPT]) {
    const { mtimeMs, size } = statSync(join(root, path));
    inputs[path] = { mtimeMs, size };
  }
  const info: CliBuildInfo = { entry: CLI_ENTRY, inputs };
  writeFileSync(join(staging, CLI_BUILD_INFO), `${JSON.stringify(info)}\n`);
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another build (a second CLI call finding the same stale build) swapped its copy in first;
    // it was built from the same sources.
    rmSync(staging, { recursive: true, force: true });
    if (
      (error as NodeJS.ErrnoException).code !== "ENOTEMPTY" &&
      (error as NodeJS.ErrnoException).code !== "EEXIST"
    )
      throw error;
  }
  return { outDir, inputs: Object.keys(inputs).length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.cwd();
  const { outDir, inputs } = await buildCli(root);
  process.stderr.write(`build: ${relative(root, join(outDir, CLI_ENTRY))} from ${inputs} source files\n`);
}
