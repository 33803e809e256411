/**
 * Runs the 3CX XAPI simulator on its own:
 *   npm run sim:3cx -- --port 5080 --seed shared/simulators/threecx/seeds/demo.json [--host 127.0.0.1]
 * Prints the base URL; stops on Ctrl-C.
 */
import { parseArgs } from "node:util";
import { readSeedFile } from "./seed.js";
import { startThreeCxSimulator } from "./simulator.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string" },
    "max-top": { type: "string" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`--port must be a port number, got ${values.port}\n`);
  process.exit(2);
}
const simulator = await startThreeCxSimulator({
  port,
  host: values.host,
  ...(values.seed ? { seed: readSeedFile(values.seed) } : {}),
  ...(values["max-top"] ? { maxTop: Number(values["max-top"]) } : {}),
});
process.stdout.write(
  `3CX XAPI simulator on ${simulator.url} (XAPI ${simulator.url}/xapi/v1, token ${simulator.url}/connect/token, ` +
    `${simulator.state.users.size} users)\n`,
);
const stop = () => {
  void simulator.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
