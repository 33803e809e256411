/**
 * `npm run bench`: runs every suite in test/bench/suites and rewrites BENCHMARKS.md with the
 * figures, the machine they were measured on and the command that produced them.
 * `npm run bench -- NAME...` runs only the named suites and prints them without writing the file.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchSuite } from "./bench-suite.js";

process.env.METADATA_SERVER_DETECTION ??= "none";

const here = dirname(fileURLToPath(import.meta.url));
const suitesDir = join(here, "suites");
const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = readdirSync(suitesDir)
  .filter((f) => f.endsWith(".ts"))
  .sort()
  .filter((f) => only.length === 0 || only.includes(basename(f, ".ts")));

const sections: string[] = [];
for (const file of files) {
  const suite = (await import(pathToFileURL(join(suitesDir, file)).href)).default as BenchSuite;
  process.stderr.write(`bench: ${file} ...\n`);
  const report = await suite();
  sections.push(
    `## ${report.title}\n\n_Suite: \`test/bench/suites/${file}\`_\n\n${report.markdown.trim()}\n`,
  );
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const header = [
  "# Benchmarks",
  "",
  `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores (${cpu}).`,
  "Figures are from one run on that machine; re-run the command to refresh them.",
  "",
].join("\n");
const text = `${header}\n${sections.join("\n")}`;
if (only.length === 0) {
  writeFileSync(join(here, "..", "..", "BENCHMARKS.md"), text);
  process.stderr.write("bench: wrote BENCHMARKS.md\n");
} else {
  process.stdout.write(text);
}
