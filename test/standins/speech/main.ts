/**
 * The Speech-to-Text v2 stand-in as a process, on loopback only:
 *   node --import tsx test/standins/speech/main.ts [--port N] [--admin-port N]
 *     [--objects-folder DIR | --storage-host HOST:PORT]
 * gs:// audio is read through @google-cloud/storage (--storage-host: the Cloud Storage stand-in),
 * or from DIR/bucket/object with --objects-folder.
 * Prints "speech stand-in listening on 127.0.0.1:GRPC_PORT admin 127.0.0.1:ADMIN_PORT" when ready.
 */
import { cloudStorageAccess, folderAccess } from "./object-access.js";
import { startSpeechServer } from "./server.js";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

function port(name: string): number {
  const raw = option(name);
  const value = Number(raw ?? 0);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`speech stand-in: --${name} expects a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return value;
}

const folder = option("objects-folder");
const storageHost = option("storage-host");
if (storageHost) process.env.STORAGE_EMULATOR_HOST = `http://${storageHost}`;
const server = await startSpeechServer({
  port: port("port"),
  adminPort: port("admin-port"),
  objects: folder ? folderAccess(folder) : cloudStorageAccess(),
});
console.log(`speech stand-in listening on ${server.host} admin ${server.adminHost}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
