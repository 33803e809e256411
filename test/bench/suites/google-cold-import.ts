/**
 * Cold import of each Google adapter module, in fresh Node processes, next to the cost of the
 * per-API package it wraps. Cold start is what a Cloud Function pays on every new instance, so an
 * adapter must cost about its own package and load no other Google API package.
 *
 * The adapters are compiled the way functions are deployed (esbuild, our code bundled, node_modules
 * external) so the figure is Node's import cost, not a TypeScript loader's.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { type BenchReport, type BenchSuite, markdownTable } from "../bench-suite.js";

const RUNS = 7;
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const outDir = join(root, "node_modules", ".cache", "gw3cx-bench-google");

interface Subject {
  label: string;
  /** Adapter source (compiled first) or a bare package name. */
  entry: string;
  /** The per-API package this adapter wraps, for the comparison column. */
  packageName?: string;
}

const ADAPTERS: Subject[] = [
  {
    label: "adapters/google/directory",
    entry: "shared/adapters/google/directory.ts",
    packageName: "@googleapis/admin",
  },
  {
    label: "adapters/google/calendar",
    entry: "shared/adapters/google/calendar.ts",
    packageName: "@googleapis/calendar",
  },
  {
    label: "adapters/google/people",
    entry: "shared/adapters/google/people.ts",
    packageName: "@googleapis/people",
  },
  {
    label: "adapters/google/gmail",
    entry: "shared/adapters/google/gmail.ts",
    packageName: "@googleapis/gmail",
  },
  {
    label: "adapters/google/delegation",
    entry: "shared/adapters/google/delegation.ts",
    packageName: "@googleapis/iamcredentials",
  },
  { label: "adapters/google/push-verification", entry: "shared/adapters/google/push-verification.ts" },
];
const GOOGLE_API_PACKAGES = ["admin", "calendar", "people", "gmail", "iamcredentials"];

/** One fresh process: milliseconds to import `specifier`, and which @googleapis packages it loaded. */
function importOnce(specifier: string): { ms: number; apiPackages: string[] } {
  const script = `
    import { createRequire } from "node:module";
    const started = performance.now();
    await import(${JSON.stringify(specifier)});
    const ms = performance.now() - started;
    const cache = Object.keys(createRequire(import.meta.url).cache);
    const apiPackages = ${JSON.stringify(GOOGLE_API_PACKAGES)}.filter((name) =>
      cache.some((path) => path.includes("/@googleapis/" + name + "/")));
    process.stdout.write(JSON.stringify({ ms, apiPackages }));
  `;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, METADATA_SERVER_DETECTION: "none" },
    encoding: "utf8",
  });
  return JSON.parse(output) as { ms: number; apiPackages: string[] };
}

function measure(specifier: string): { mean: number; min: number; apiPackages: string[] } {
  importOnce(specifier); // warm the file-system cache; not counted
  const samples: number[] = [];
  let apiPackages: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = importOnce(specifier);
    samples.push(run.ms);
    apiPackages = run.apiPackages;
  }
  return {
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    min: Math.min(...samples),
    apiPackages,
  };
}

async function compile(subject: Subject): Promise<string> {
  const outfile = join(outDir, `${subject.label.replace(/\//g, "_")}.mjs`);
  await build({
    entryPoints: [join(root, subject.entry)],
    outfile,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
  });
  return pathToFileURL(outfile).href;
}

const suite: BenchSuite = async (): Promise<BenchReport> => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rows: Array<Array<string | number>> = [];
  for (const subject of ADAPTERS) {
    const adapter = measure(await compile(subject));
    const pkg = subject.packageName ? measure(subject.packageName) : undefined;
    rows.push([
      subject.label,
      adapter.mean.toFixed(0),
      adapter.min.toFixed(0),
      subject.packageName ?? "(none)",
      pkg ? pkg.mean.toFixed(0) : "-",
      pkg ? `${(adapter.mean - pkg.mean >= 0 ? "+" : "") + (adapter.mean - pkg.mean).toFixed(0)}` : "-",
      adapter.apiPackages.join(", ") || "none",
    ]);
  }
  rmSync(outDir, { recursive: true, force: true });
  return {
    title: "Google adapters: cold import",
    markdown: [
      `Each module imported in a fresh \`node\` process; mean and best of ${RUNS} runs after one warm-up run, in ms.`,
      "Adapters are compiled as functions are deployed (esbuild, node_modules external).",
      "",
      markdownTable(
        [
          "module",
          "mean ms",
          "best ms",
          "wraps package",
          "package mean ms",
          "adapter - package",
          "@googleapis packages loaded",
        ],
        rows,
      ),
      "",
      "For scale: the whole `googleapis` package costs about 560 ms to import on these machines (figure",
      "from the reference notes; the project deliberately does not install it). Each adapter stays near its",
      "own per-API package and loads no other Google API package.",
    ].join("\n"),
  };
};

export default suite;
