import { describe, expect, it, vi } from "vitest";
import { CallerRejectedError, type VerifiedCaller } from "../../../shared/ports/caller-identity.js";
import type { DirectoryUser } from "../../../shared/ports/directory.js";
import { authorizeStatusCaller } from "../../../shared/usecases/status/authorize-status-caller.js";
import { capturedLogger } from "../../support/captured-logger.js";

function ports(verified: VerifiedCaller | undefined | Error, admins: Record<string, boolean> = {}) {
  const getUser = vi.fn(async (email: string) =>
    email in admins ? ({ primaryEmail: email, isAdmin: admins[email] } as DirectoryUser) : undefined,
  );
  const { logger, lines } = capturedLogger("status-test");
  return {
    getUser,
    lines,
    ports: {
      verifier: {
        verify: async () => {
          if (verified instanceof Error) throw verified;
          return verified;
        },
      },
      directory: { getUser },
      logger,
    },
  };
}

describe("authorizeStatusCaller: only Workspace admins, vouched for by Google", () => {
  it("asks to sign in when no credential came (401)", async () => {
    const { ports: p } = ports(undefined);
    await expect(authorizeStatusCaller({}, p, [])).resolves.toMatchObject({ allowed: false, status: 401 });
  });

  it("refuses a credential that did not verify (401) and logs it", async () => {
    const { ports: p, lines } = ports(new CallerRejectedError("the IAP assertion did not verify"));
    const access = await authorizeStatusCaller({}, p, []);
    expect(access).toMatchObject({ allowed: false, status: 401 });
    expect(lines.map((l) => l.event)).toContain("statusPageCallerRejected");
  });

  it("with an admin list: admits those on it, refuses others (403), never asks the Directory", async () => {
    const listed = ports({ email: "it@example.com", via: "iap" });
    await expect(authorizeStatusCaller({}, listed.ports, ["IT@example.com"])).resolves.toEqual({
      allowed: true,
      viewer: "it@example.com (IAP)",
    });
    const other = ports({ email: "ada@example.com", via: "id-token" }, { "ada@example.com": true });
    await expect(authorizeStatusCaller({}, other.ports, ["it@example.com"])).resolves.toMatchObject({
      allowed: false,
      status: 403,
      reason: "ada@example.com is not on the status page's admin list.",
    });
    expect(listed.getUser).not.toHaveBeenCalled();
    expect(other.getUser).not.toHaveBeenCalled();
  });

  it("without a list: admits a Workspace admin by the Directory, refuses a user (403) and someone unknown", async () => {
    const admin = ports({ email: "boss@example.com", via: "id-token" }, { "boss@example.com": true });
    await expect(authorizeStatusCaller({}, admin.ports, [])).resolves.toEqual({
      allowed: true,
      viewer: "boss@example.com (ID token)",
    });
    const user = ports({ email: "ada@example.com", via: "iap" }, { "ada@example.com": false });
    await expect(authorizeStatusCaller({}, user.ports, [])).resolves.toMatchObject({
      allowed: false,
      status: 403,
    });
    expect(user.lines.map((l) => l.event)).toContain("statusPageCallerNotAdmin");
    const stranger = ports({ email: "x@elsewhere.example", via: "iap" });
    await expect(authorizeStatusCaller({}, stranger.ports, [])).resolves.toMatchObject({
      allowed: false,
      status: 403,
    });
  });
});
