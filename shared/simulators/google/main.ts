/**
 * `npm run sim:google -- --port 8085 --seed shared/simulators/google/seeds/demo.json [--allow-http-push]`
 * Runs the Workspace simulator on its own until interrupted.
 */
import { parseArgs } from "node:util";
import { startGoogleSimulator } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8085" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string" },
    /** Accept http:// push addresses (local receivers); Google accepts https only. */
    "allow-http-push": { type: "boolean", default: false },
  },
});

const simulator = await startGoogleSimulator({
  port: Number(values.port),
  host: values.host,
  seed: values.seed,
  allowHttpPushAddresses: values["allow-http-push"],
});
process.stdout.write(
  `${JSON.stringify({ message: "Google Workspace simulator listening", url: simulator.url, endpoints: simulator.endpoints })}\n`,
);

const stop = async () => {
  await simulator.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
