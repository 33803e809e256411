/**
 * The Cloud Storage stand-in as a process, on loopback only:
 *   node --import tsx test/standins/cloud-storage/main.ts [--port N] [--admin-port N] [--pubsub-host H:P]
 * Prints "cloud-storage stand-in listening on 127.0.0.1:PORT admin 127.0.0.1:ADMIN_PORT" when ready.
 */
import { startCloudStorageServer } from "./server.js";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

function portOption(name: string): number {
  const value = Number(option(name) ?? 0);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`cloud-storage stand-in: --${name} expects a non-negative integer, got ${option(name)}`);
    process.exit(2);
  }
  return value;
}

const pubsubHost = option("pubsub-host");
const server = await startCloudStorageServer({
  port: portOption("port"),
  adminPort: portOption("admin-port"),
  ...(pubsubHost ? { pubsubHost } : {}),
});
console.log(`cloud-storage stand-in listening on ${server.host} admin ${server.adminHost}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
