/**
 * The reCAPTCHA Enterprise stand-in as a process, on loopback only:
 *   node --import tsx test/standins/recaptcha/main.ts [--port N] [--admin-port N]
 * Prints "recaptcha stand-in listening on 127.0.0.1:GRPC_PORT admin 127.0.0.1:ADMIN_PORT" when ready.
 */
import { startRecaptchaServer } from "./server.js";

function option(name: string): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return 0;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(
      `recaptcha stand-in: --${name} expects a non-negative integer, got ${process.argv[at + 1]}`,
    );
    process.exit(2);
  }
  return value;
}

const server = await startRecaptchaServer({ port: option("port"), adminPort: option("admin-port") });
console.log(`recaptcha stand-in listening on ${server.host} admin ${server.adminHost}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
