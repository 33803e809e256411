/**
 * `npm run build`: bundles each Cloud Function entry (functions/*.ts) on its own with esbuild,
 * tree-shaken, so a cold start loads only the code that function uses. Output per function, the
 * deployable unit: dist/functions/NAME/{index.mjs, package.json, package-lock.json}. The cloud build
 * runs `npm ci` on it, so it installs exactly the versions in the project's lockfile.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { basename, join } from "node:path";
import { build, type Metafile } from "esbuild";
import { artifactLockfile, lockedVersion, type PackageLock } from "./artifact-lockfile.js";

/**
 * Installed beside the bundle from the artifact's package.json instead of bundled. The framework is
 * what the runtime starts. The gRPC-based Google Cloud clients (through google-gax) find their
 * .proto and JSON files relative to their own files (__dirname), which a bundle moves away from
 * them: bundled, they fail at load with "__dirname is not defined in ES module scope".
 */
export const INSTALLED_BESIDE = [
  "@google-cloud/functions-framework",
  "@google-cloud/firestore",
  "@google-cloud/pubsub",
  "@google-cloud/storage",
  "@google-cloud/speech",
  "@google-cloud/tasks",
  "@google-cloud/recaptcha-enterprise",
];

/** The embedded runtime's native module: a function that reaches it is a layering mistake. */
const NEVER_IN_A_FUNCTION = ["better-sqlite3"];

/** The packages a bundle imports at run time (its externals), from esbuild's metafile. */
function externalPackagesOf(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const imported of output.imports)
      if (imported.external && !isBuiltin(imported.path)) {
        const parts = imported.path.split("/");
        names.add(imported.path.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string));
      }
  return [...names].sort();
}

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
  const projectLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as PackageLock;
  rmSync(outDir, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const entry of entries) {
    const name = basename(entry, ".ts");
    const dir = join(outDir, name);
    mkdirSync(dir, { recursive: true });
    const { metafile } = await build({
      entryPoints: [join(root, "functions", entry)],
      outfile: join(dir, "index.mjs"),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      treeShaking: true,
      sourcemap: "linked",
      external: [...INSTALLED_BESIDE, ...NEVER_IN_A_FUNCTION],
      metafile: true,
      // Bundled CommonJS dependencies still call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire as __gw3cxRequire } from 'node:module'; const require = __gw3cxRequire(import.meta.url);",
      },
      logLevel: "warning",
    });
    const imported = externalPackagesOf(metafile);
    const forbidden = imported.filter((dep) => NEVER_IN_A_FUNCTION.includes(dep));
    if (forbidden.length > 0)
      throw new Error(`functions/${entry} imports ${forbidden.join(", ")}, which no Cloud Function can load`);
    // The framework is always a dependency: the runtime starts it even if the entry did not import it.
    const runtimeDeps = [...new Set(["@google-cloud/functions-framework", ...imported])].sort();
    const dependencies = Object.fromEntries(runtimeDeps.map((dep) => [dep, lockedVersion(projectLock, dep)]));
    const artifactName = `gw3cx-${name}`;
    const manifest = { name: artifactName, private: true, type: "module", main: "index.mjs", dependencies };
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(
      join(dir, "package-lock.json"),
      `${JSON.stringify(artifactLockfile(projectLock, artifactName, dependencies), null, 2)}\n`,
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
