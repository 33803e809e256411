// Runs the @firestore-emulator/server Firestore stand-in in its own process, on loopback only.
// Usage: node server.cjs PORT   (prints "firestore-emulator listening on 127.0.0.1:PORT")
"use strict";
const grpc = require(
  require.resolve("@grpc/grpc-js", { paths: [require.resolve("@firestore-emulator/server")] }),
);

// The package binds 0.0.0.0; tests talk to loopback only, so bind there.
const bindAsync = grpc.Server.prototype.bindAsync;
grpc.Server.prototype.bindAsync = function (address, ...rest) {
  return bindAsync.call(this, address.replace(/^0\.0\.0\.0:/, "127.0.0.1:"), ...rest);
};

const { FirestoreServer } = require("@firestore-emulator/server");

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error(`firestore-emulator: expected a port number, got ${JSON.stringify(process.argv[2])}`);
  process.exit(2);
}
const server = new FirestoreServer();
server.start(port).then(
  () => console.log(`firestore-emulator listening on 127.0.0.1:${port}`),
  (error) => {
    console.error(`firestore-emulator: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.stop();
    process.exit(0);
  });
}
