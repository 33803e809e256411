/**
 * Each deployable function artifact started the way Cloud Run functions starts it: installed from its
 * own lockfile (`npm ci --omit=dev`) in an empty folder, then the Functions Framework CLI loading it in a
 * fresh process. The figure is spawn to the first HTTP answer, the part of a cold start that is ours
 * (module load + framework start); a hello-world function in the same framework is the floor.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FUNCTIONS } from "../../../infra/gw3cx-stack.js";
import { buildFunctions } from "../../../scripts/build-functions.js";
import { installArtifact, serveArtifact } from "../../support/deployed/function-artifact.js";
import { type BenchReport, type BenchSuite, markdownTable, percentile } from "../bench-suite.js";

const RUNS = 7;
/** Artifact folder -> the entry point the stack deploys it with. */
const TARGETS: Record<string, string> = Object.fromEntries(
  Object.values(FUNCTIONS).map((fn) => [fn.build, fn.entryPoint]),
);
/** Settings valid enough to load; nothing is called, so no endpoint needs to exist. */
const ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  NODE_ENV: "production",
  METADATA_SERVER_DETECTION: "none",
  GW3CX_GCP_PROJECT: "bench-project",
  GW3CX_3CX_URL: "https://pbx.example.com",
  GW3CX_3CX_CLIENT_ID: "gw3cx",
  GW3CX_GOOGLE_ADMIN_SUBJECT: "admin@example.com",
};

async function startUpTimes(dir: string, target: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const fn = await serveArtifact(dir, { target, signatureType: "http", env: ENV, pollMs: 2 });
    times.push(performance.now() - started);
    await fn.stop();
  }
  return times.sort((a, b) => a - b);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const suite: BenchSuite = async (): Promise<BenchReport> => {
  const work = mkdtempSync(join(tmpdir(), "gw3cx-bench-artifacts-"));
  try {
    const built = await buildFunctions(process.cwd(), join(work, "dist"));
    const rows: Array<Array<string | number>> = [];
    const floorDir = join(work, "hello");
    // The floor: the framework alone, installed from the webhook's lockfile, serving a trivial function.
    await installArtifact(join(work, "dist", "directory-webhook"), floorDir);
    writeFileSync(
      join(floorDir, "index.mjs"),
      'import { http } from "@google-cloud/functions-framework";\nhttp("hello", (_req, res) => { res.send("ok"); });\n',
    );
    const floor = await startUpTimes(floorDir, "hello");
    rows.push([
      "hello world (floor)",
      "-",
      `${percentile(floor, 50).toFixed(0)} ms`,
      `${(floor.at(-1) as number).toFixed(0)} ms`,
    ]);
    for (const fn of built) {
      const dir = join(work, "installed", fn.name);
      await installArtifact(join(work, "dist", fn.name), dir);
      const target = TARGETS[fn.name];
      if (!target) throw new Error(`artifact ${fn.name} is not a function the stack deploys`);
      const times = await startUpTimes(dir, target);
      rows.push([
        fn.name,
        kib(statSync(join(dir, "index.mjs")).size),
        `${percentile(times, 50).toFixed(0)} ms`,
        `${(times.at(-1) as number).toFixed(0)} ms`,
      ]);
    }
    return {
      title: "Function artifacts: load time under the Functions Framework",
      markdown: [
        `Each artifact built by \`npm run build\`, installed with \`npm ci --omit=dev\` from its own lockfile, started ${RUNS} times in a fresh process with \`functions-framework --target=NAME\`; spawn to the first HTTP answer. The gRPC Google clients (Firestore, Pub/Sub) are installed beside the bundle, not in it (before this, every artifact failed to load).`,
        "",
        markdownTable(["artifact", "bundle", "p50", "max"], rows),
      ].join("\n"),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export default suite;
