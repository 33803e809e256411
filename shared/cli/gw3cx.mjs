#!/usr/bin/env node
// The `gw3cx` bin, also what `npm start` and `npm run gw3cx` run. It runs the compiled CLI in
// dist/cli/ (scripts/build-cli.ts; built by `npm run build` and on `npm install`), in this same
// process, so a call costs Node's start-up and not a TypeScript loader's. A build that is missing
// or older than any of its sources is rebuilt first (one line on stderr says so), never run stale.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outDir = new URL("../../dist/cli/", import.meta.url);

/** Why the compiled CLI cannot be run as it is, or undefined when it is up to date. */
function whyRebuild() {
  let info;
  try {
    info = JSON.parse(readFileSync(new URL("build-info.json", outDir), "utf8"));
  } catch {
    return "the CLI is not compiled yet";
  }
  for (const [path, built] of Object.entries(info.inputs)) {
    let now;
    try {
      now = statSync(`${root}${path}`);
    } catch {
      return `${path} is gone since the last build`;
    }
    if (now.mtimeMs !== built.mtimeMs || now.size !== built.size)
      return `${path} changed since the last build`;
  }
  return undefined;
}

const reason = whyRebuild();
if (reason) {
  process.stderr.write(`gw3cx: ${reason}; compiling the CLI first (as \`npm run build\` does)...\n`);
  // tsx (a dev dependency) runs the build script; only a source checkout can be stale.
  const built = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-cli.ts"], {
    cwd: root,
    stdio: ["ignore", 2, 2],
  });
  if (built.status !== 0) {
    process.stderr.write(`gw3cx: could not compile the CLI; run \`npm run build\` in ${root}\n`);
    process.exit(1);
  }
}
await import(new URL("main.mjs", outDir).href);
