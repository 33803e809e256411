import { createRequire } from "node:module";
import getPort from "get-port";
import { type RunningStandIn, startProcess } from "./process.js";

const require = createRequire(import.meta.url);

/** The @firestore-emulator/server Firestore stand-in (real gRPC protocol, weak semantics: see the README). */
export async function startFirestoreStandIn(): Promise<RunningStandIn> {
  const port = await getPort({ host: "127.0.0.1" });
  return startProcess(
    "firestore-emulator",
    process.execPath,
    [require.resolve("./firestore/server.cjs"), String(port)],
    /listening on (127\.0\.0\.1:\d+)/,
  );
}
