/**
 * `npm run build`: bundles each Cloud Function entry (functions/*.ts) on its own with esbuild,
 * tree-shaken, so a cold start loads only the code that function uses. Output per function:
 * dist/functions/NAME/{index.mjs, package.json} (the deployable source folder).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";

/** Loaded from node_modules at run time instead of bundled: the runtime starts the framework itself. */
const EXTERNAL = ["@google-cloud/functions-framework", "better-sqlite3"];

export interface BuiltFunction {
  name: string;
  bytes: number;
}

export async function buildFunctions(
  root: string,
  outDir = join(root, "dist", "functions"),
): Promise<BuiltFunction[]> {
  const entries = readdirSync(join(root, "functions"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort();
  const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  rmSync(outDir, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const entry of entries) {
    const name = basename(entry, ".ts");
    const dir = join(outDir, name);
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [join(root, "functions", entry)],
      outfile: join(dir, "index.mjs"),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      treeShaking: true,
      sourcemap: "linked",
      external: EXTERNAL,
      // Bundled CommonJS dependencies still call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire as __gw3cxRequire } from 'node:module'; const require = __gw3cxRequire(import.meta.url);",
      },
      logLevel: "warning",
    });
    const dependencies = Object.fromEntries(
      EXTERNAL.filter((dep) => dep in rootPackage.dependencies).map((dep) => [
        dep,
        rootPackage.dependencies[dep],
      ]),
    );
    delete dependencies["better-sqlite3"];
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify({ name: `gw3cx-${name}`, private: true, type: "module", main: "index.mjs", dependencies }, null, 2)}\n`,
    );
    built.push({ name, bytes: statSync(join(dir, "index.mjs")).size });
  }
  return built;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = await buildFunctions(process.cwd());
  if (built.length === 0) console.log("build: no functions in functions/");
  for (const fn of built)
    console.log(`build: dist/functions/${fn.name}/index.mjs ${(fn.bytes / 1024).toFixed(0)} KiB`);
}
