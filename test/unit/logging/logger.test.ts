import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Gw3cxError } from "../../../shared/errors.js";
import { createLogger } from "../../../shared/logging/logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe("logger", () => {
  it("writes one Cloud Logging JSON line per named event", () => {
    const { lines, destination } = capture();
    const log = createLogger({ component: "test" }, { destination });
    log
      .child({ runId: "run-1" })
      .event("busMessageDeadLettered", { topic: "directory-changes", reason: "bad json" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      severity: "WARNING",
      message: "message sent to the dead-letter path",
      event: "busMessageDeadLettered",
      component: "test",
      runId: "run-1",
      topic: "directory-changes",
    });
    expect(typeof lines[0]?.time).toBe("string");
  });

  it("drops debug lines below the configured level", () => {
    const { lines, destination } = capture();
    createLogger({ component: "test" }, { destination, level: "info" }).event("standInStarted");
    expect(lines).toHaveLength(0);
  });

  it("never prints a secret, token or credential, however deep", () => {
    const { lines, destination } = capture();
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGFAZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJl";
    createLogger({ component: "test" }, { destination }).event("busHandlerFailed", {
      request: {
        headers: { authorization: "Bearer ya29.a0AfH6SMB-secret" },
        url: "https://x/token?access_token=abc123&x=1",
      },
      clientSecret: "hunter2",
      nested: { deeper: { refresh_token: "1//refresh" } },
      error: new Gw3cxError("X", `token exchange failed for ${jwt}`),
      note: "header was Bearer abc.def.ghi",
    });
    const text = JSON.stringify(lines);
    for (const secret of ["ya29.a0AfH6SMB-secret", "hunter2", "1//refresh", jwt, "abc123", "abc.def.ghi"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("access_token=[redacted]&x=1");
    expect(text).toContain("Bearer [redacted]");
  });
});
