/**
 * The Cloud Tasks stand-in as a process, on loopback only:
 *   node --import tsx test/standins/cloud-tasks/main.ts [--port N] [--admin-port N] [--name-reservation-ms N]
 * Prints "cloud-tasks stand-in listening on 127.0.0.1:GRPC_PORT admin 127.0.0.1:ADMIN_PORT" when ready.
 * Admin (HTTP, JSON): GET /dispatches (every attempt with its lateness), DELETE /dispatches, GET /health,
 * PUT /routes {"https://name-1.region.run.app": "http://127.0.0.1:PORT"} (where a task's host answers).
 */
import { startCloudTasksServer } from "./server.js";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(
      `cloud-tasks stand-in: --${name} expects a non-negative integer, got ${process.argv[at + 1]}`,
    );
    process.exit(2);
  }
  return value;
}

const server = await startCloudTasksServer({
  port: option("port", 0),
  adminPort: option("admin-port", 0),
  nameReservationMs: option("name-reservation-ms", 3_600_000),
});
console.log(`cloud-tasks stand-in listening on ${server.host} admin ${server.adminHost}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
