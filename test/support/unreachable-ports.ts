/**
 * Loopback ports that behave like an unreachable host, for tests of how clients give up:
 * - refusing: nothing listens, so every connection is refused at once;
 * - blackholed: connections are never answered, as with a firewall that drops packets. A listener
 *   in a stopped child process with an accept backlog of 1 stops answering SYNs once its queue is
 *   full, which two connections do, so later connects hang until the client's own timeout.
 */
import { spawn } from "node:child_process";
import { connect, createServer, type Socket } from "node:net";

/** A loopback port nobody listens on (bound once for a free number, then released). */
export async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface BlackholedPort {
  port: number;
  close(): Promise<void>;
}

const LISTENER =
  "require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},function(){console.log(this.address().port)})";

export async function blackholedPort(): Promise<BlackholedPort> {
  const child = spawn(process.execPath, ["-e", LISTENER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", (data: Buffer) => resolve(Number(String(data).trim())));
  });
  child.kill("SIGSTOP");
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const socket = connect(port, "127.0.0.1");
    fillers.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
  }
  return {
    port,
    async close() {
      for (const socket of fillers) socket.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
