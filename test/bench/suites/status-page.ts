/**
 * Time to first byte of the local status page on the demo (`npm start` on the simulators, after
 * its first sync): the page and its JSON twin, each request a fresh connection, as a browser's
 * first visit. The goal is under 100 ms; the state is the demo's (48 users, runs, channels,
 * presence overrides) read from SQLite on every request.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocal } from "../../../shared/cli/start-local.js";
import { createLogger } from "../../../shared/logging/logger.js";
import { type BenchReport, type BenchSuite, markdownTable, percentile } from "../bench-suite.js";

const SAMPLES = 50;

/** Milliseconds from sending the request to the first byte of the response body. */
function firstByte(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent: false }, (res) => {
      res.once("data", () => {
        const ms = performance.now() - started;
        res.resume();
        res.once("end", () => resolve(ms));
      });
      res.once("error", reject);
    });
    req.once("error", reject);
    req.end();
  });
}

const suite: BenchSuite = async (): Promise<BenchReport> => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-bench-status-"));
  const stack = await startLocal({
    env: { ...process.env, GW3CX_STATE_DB: join(dir, "state.db") },
    logger: createLogger({ component: "bench" }, { level: "error" }),
  });
  const rows: Array<Array<string | number>> = [];
  try {
    for (const [label, path] of [
      ["`GET /` (HTML)", "/"],
      ["`GET /status.json`", "/status.json"],
    ] as const) {
      const url = `${stack.host.url}${path}`;
      await firstByte(url); // warm: first request loads the modules the handler needs; not counted
      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) samples.push(await firstByte(url));
      samples.sort((a, b) => a - b);
      rows.push([
        label,
        percentile(samples, 50).toFixed(1),
        percentile(samples, 90).toFixed(1),
        (samples.at(-1) as number).toFixed(1),
        percentile(samples, 90) < 100 ? "yes" : "**no**",
      ]);
    }
  } finally {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: "Status page: time to first byte on the demo",
    markdown: `${markdownTable(["request", "median ms", "p90 ms", "max ms", "p90 < 100 ms"], rows)}

${SAMPLES} requests each, one after another, each on a new connection, against \`npm start\`'s page
on the demo organisation after its first sync (48 managed users, runs, Directory and calendar
channels, presence overrides), reading its SQLite state on every request. The goal is judged on
the 90th percentile; the maximum is shown as measured (on a shared machine a single request can
wait for the demo's own timers or another process).`,
  };
};

export default suite;
