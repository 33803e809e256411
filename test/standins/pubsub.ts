import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningStandIn, startProcess } from "./process.js";

const here = dirname(fileURLToPath(import.meta.url));
const binary = join(here, "pstest", "bin", "pstest-server");

/** Builds the Pub/Sub fake on first use (needs Debian's golang-go and golang-google-cloud-dev). */
export function ensurePstestBuilt(): string {
  if (!existsSync(binary)) execFileSync("bash", [join(here, "pstest", "build.sh")], { stdio: "pipe" });
  return binary;
}

/** Google's own Pub/Sub fake (pstest) speaking the real gRPC protocol on a free loopback port. */
export async function startPubsubStandIn(): Promise<RunningStandIn> {
  const path = ensurePstestBuilt();
  return startProcess(
    "pstest",
    path,
    ["--host", "127.0.0.1", "--port", "0"],
    /listening on (127\.0\.0\.1:\d+)/,
  );
}
