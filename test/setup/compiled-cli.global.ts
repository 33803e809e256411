import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The e2e tests run the real `gw3cx` bin, which runs the compiled CLI in dist/cli/ and compiles it
 * first when it is missing or stale. Doing that once here keeps the compile (and its line on stderr)
 * out of the tests, which run the bin in parallel and check what it prints.
 */
export default function setup(): void {
  const bin = fileURLToPath(new URL("../../shared/cli/gw3cx.mjs", import.meta.url));
  execFileSync(process.execPath, [bin, "--version"], { stdio: ["ignore", "ignore", "inherit"] });
}
