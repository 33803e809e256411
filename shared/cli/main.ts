import { runCli } from "./program.js";

/**
 * The `gw3cx` entry: `npm run gw3cx -- <command>`, `npm start`, or the `gw3cx` bin (gw3cx.mjs).
 * The exit code is set rather than forced with process.exit, so output is flushed first.
 */
process.exitCode = await runCli(process.argv);
