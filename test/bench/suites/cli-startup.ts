/**
 * How long a `gw3cx` call takes to start, wall time of whole processes: the compiled CLI (what the
 * bin, `npm start` and `npm run gw3cx` run) next to an empty `node` and to the same CLI run from
 * TypeScript through the tsx loader (how every call ran before the CLI was compiled).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchReport, type BenchSuite, markdownTable, percentile } from "../bench-suite.js";

const RUNS = 15;
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const BIN = join(root, "shared", "cli", "gw3cx.mjs");
const SOURCE_ENTRY = join(root, "shared", "cli", "main.ts");

interface Subject {
  label: string;
  args: string[];
}

/** Milliseconds from spawn to exit of one process; fails loudly if the command does. */
function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function measure(args: string[], env: NodeJS.ProcessEnv): { median: number; p90: number; best: number } {
  timeOnce(args, env); // warm the file-system cache (and compile the CLI if it is stale); not counted
  const samples = Array.from({ length: RUNS }, () => timeOnce(args, env)).sort((a, b) => a - b);
  return { median: percentile(samples, 50), p90: percentile(samples, 90), best: samples[0] as number };
}

const suite: BenchSuite = async (): Promise<BenchReport> => {
  // `status` on a tenant's SQLite state: settings from a file, an empty state, nothing contacted.
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-cli-"));
  writeFileSync(join(dir, "settings.json"), JSON.stringify({ threecx: { url: "http://127.0.0.1:9" } }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    METADATA_SERVER_DETECTION: "none",
    GW3CX_CONFIG: join(dir, "settings.json"),
    GW3CX_STATE_DB: join(dir, "state.db"),
  };
  const subjects: Subject[] = [
    { label: "`node -e ''` (Node's own start-up)", args: ["-e", ""] },
    { label: "`gw3cx --version`", args: [BIN, "--version"] },
    { label: "`gw3cx status --help`", args: [BIN, "status", "--help"] },
    { label: "`gw3cx status` (SQLite state)", args: [BIN, "status"] },
    { label: "`gw3cx --version` through tsx", args: ["--import", "tsx", SOURCE_ENTRY, "--version"] },
    {
      label: "`gw3cx status --help` through tsx",
      args: ["--import", "tsx", SOURCE_ENTRY, "status", "--help"],
    },
    { label: "`gw3cx status` through tsx", args: ["--import", "tsx", SOURCE_ENTRY, "status"] },
  ];
  const rows: Array<Array<string | number>> = [];
  let baseline = 0;
  try {
    for (const subject of subjects) {
      const { median, p90, best } = measure(subject.args, env);
      if (rows.length === 0) baseline = median;
      rows.push([
        subject.label,
        median.toFixed(0),
        p90.toFixed(0),
        best.toFixed(0),
        rows.length === 0 ? "-" : `+${(median - baseline).toFixed(0)}`,
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: "CLI start-up",
    markdown: [
      `Wall time of whole processes, spawn to exit, in ms: median, p90 and best of ${RUNS} runs after one`,
      "warm-up run. `gw3cx` is the bin, which runs the compiled CLI (dist/cli, `npm run build`); the",
      "tsx rows run the same TypeScript sources through the tsx loader, as every call did before.",
      "",
      markdownTable(["command", "median ms", "p90 ms", "best ms", "over node -e ''"], rows),
    ].join("\n"),
  };
};

export default suite;
