import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createSyncProgress } from "../../../shared/cli/render/sync-progress.js";

/** A terminal stand-in: cli-progress draws only on a TTY; every write is kept, escape codes removed. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let written = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 100 });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing terminal escape sequences
  return { stream, text: () => written.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "") };
}

describe("sync progress", () => {
  it("reading, whose total is unknown, shows a count and no bar; applying shows a bar of its total", () => {
    const terminal = fakeTerminal();
    const progress = createSyncProgress(terminal.stream);
    progress.onProgress({ phase: "read", done: 500 });
    const reading = terminal.text();
    expect(reading).toContain("reading  500 users so far");
    expect(reading).not.toMatch(/[\u2588\u2591]|\/500/);

    progress.onProgress({ phase: "apply", done: 3, total: 12 });
    const applying = terminal.text().slice(reading.length);
    expect(applying).toContain("3/12 users");
    expect(applying).toMatch(/applying \[\u2588+\u2591+\]/);
    progress.stop();
  });
});
