import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** The end of what the program wrote on stderr (its reason when it fails). */
  stderrTail: string;
}

export class ProgramMissingError extends Error {
  constructor(
    readonly program: string,
    cause: unknown,
  ) {
    super(`${program} is not installed`, { cause });
  }
}

const STDERR_TAIL_CHARS = 4000;

/**
 * Runs a program directly (no shell, so no quoting of file names), hands each stdout line to
 * `onLine` as it comes (nothing is held whole), keeps only the tail of stderr, and kills the
 * program when it runs past `timeoutMs`.
 */
export function runProgram(
  program: string,
  args: readonly string[],
  options: { timeoutMs: number; onLine?: (line: string) => void },
): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], shell: false });
    let stderrTail = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
      // A grandchild holding the pipes open must not keep this call waiting.
      child.stdout.destroy();
      child.stderr.destroy();
    }, options.timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on("line", (line) => options.onLine?.(line));
    let stdoutClosed = new Promise<void>((done) => child.stdout.once("close", done));
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      stdoutClosed = Promise.resolve();
      reject(error.code === "ENOENT" ? new ProgramMissingError(program, error) : error);
    });
    child.once("exit", (exitCode, signal) => {
      clearTimeout(timer);
      // The last stdout lines may still be in the pipe when the program exits: read them all first.
      void stdoutClosed.then(() => resolve({ exitCode, signal, timedOut, stderrTail }));
    });
  });
}
