import { describe, expect, it } from "vitest";
import type { SecretVersionView } from "../../../../shared/domain/storage/archiver-key.js";
import { KeyMaterial } from "../../../../shared/domain/storage/key-material.js";
import type { SecretVersions } from "../../../../shared/ports/secret-versions.js";
import type { ServiceAccountKeys } from "../../../../shared/ports/service-account-keys.js";
import { ThreeCxError } from "../../../../shared/ports/threecx.js";
import { installArchiverKey } from "../../../../shared/usecases/storage/install-archiver-key.js";
import { capturedLogger } from "../../../support/captured-logger.js";

const ACCOUNT = "gw3cx-archiver@acme.iam.gserviceaccount.com";
const SECRET = "gw3cx-archiver-key";

/** Keys, versions and what 3CX holds, with a step that can be made to fail. */
function world(failAt?: "addVersion" | "pbxRefused" | "pbxLost" | "deleteOld") {
  const keys = new Map<string, string>([["old", "old-file"]]);
  const versions: (SecretVersionView & { payload: string })[] = [
    { name: `projects/acme/secrets/${SECRET}/versions/1`, state: "ENABLED", payload: "old-file" },
  ];
  let pbxKey = "old-file";
  let next = 0;
  const calls: string[] = [];
  const keyPort: ServiceAccountKeys = {
    async createKey() {
      calls.push("createKey");
      const keyId = `k${++next}`;
      keys.set(keyId, `file-${keyId}`);
      return { keyId, keyFile: new KeyMaterial(`file-${keyId}`) };
    },
    async listKeyIds() {
      return [...keys.keys()];
    },
    async deleteKey(_account, keyId) {
      calls.push(`deleteKey ${keyId}`);
      if (failAt === "deleteOld" && keyId === "old") throw new Error("IAM down");
      keys.delete(keyId);
    },
  };
  const secretPort: SecretVersions = {
    async hasSecret(id) {
      return id === SECRET;
    },
    async addVersion(_id, payload) {
      calls.push("addVersion");
      if (failAt === "addVersion") throw new Error("Secret Manager down");
      const name = `projects/acme/secrets/${SECRET}/versions/${versions.length + 1}`;
      versions.push({ name, state: "ENABLED", payload: payload.reveal() });
      return name;
    },
    async listVersions() {
      return versions.map(({ name, state }) => ({ name, state }));
    },
    async accessVersion(name) {
      return new KeyMaterial(versions.find((v) => v.name === name)?.payload ?? "");
    },
    async disableVersion(name) {
      calls.push(`disable ${name.split("/").pop()}`);
      const version = versions.find((v) => v.name === name);
      if (version) version.state = "DISABLED";
    },
  };
  const log = capturedLogger("test");
  return {
    ports: { keys: keyPort, secrets: secretPort, logger: log.logger },
    log,
    calls,
    keys,
    versions,
    pbxKey: () => pbxKey,
    writeToPbx: async (file: KeyMaterial) => {
      calls.push("writeToPbx");
      if (failAt === "pbxRefused") {
        throw new ThreeCxError("THREECX_REJECTED", "3CX refused", {
          operation: "UpdateRemoteArchivingSettings",
          status: 400,
        });
      }
      pbxKey = file.reveal();
      // Applied, but the answer never came back.
      if (failAt === "pbxLost") {
        throw new ThreeCxError("THREECX_NETWORK", "connection reset", {
          operation: "UpdateRemoteArchivingSettings",
        });
      }
    },
  };
}

describe("installArchiverKey", () => {
  it("creates, stores, hands to 3CX, and only then retires the older key and version", async () => {
    const w = world();
    const installed = await installArchiverKey(
      w.ports,
      { accountEmail: ACCOUNT, secretId: SECRET },
      w.writeToPbx,
    );
    expect(w.calls).toEqual(["createKey", "addVersion", "writeToPbx", "deleteKey old", "disable 1"]);
    expect(w.pbxKey()).toBe("file-k1");
    expect([...w.keys.keys()]).toEqual(["k1"]);
    expect(w.versions.map((v) => v.state)).toEqual(["DISABLED", "ENABLED"]);
    expect(installed).toMatchObject({ keyId: "k1", notRetired: [], retired: { keyIds: ["old"] } });
  });

  it.each(["addVersion", "pbxRefused"] as const)(
    "a failure at %s deletes the new key and 3CX keeps the old, working one",
    async (step) => {
      const w = world(step);
      await expect(
        installArchiverKey(w.ports, { accountEmail: ACCOUNT, secretId: SECRET }, w.writeToPbx),
      ).rejects.toThrow(step === "pbxRefused" ? "3CX refused" : "Secret Manager down");
      expect(w.pbxKey()).toBe("old-file");
      expect([...w.keys.keys()]).toEqual(["old"]);
      expect(w.versions.filter((v) => v.state === "ENABLED").map((v) => v.payload)).toEqual(["old-file"]);
      expect(w.calls).not.toContain("deleteKey old");
    },
  );

  it("a 3CX write that may have been applied keeps both keys: whichever 3CX holds works", async () => {
    const w = world("pbxLost");
    await expect(
      installArchiverKey(w.ports, { accountEmail: ACCOUNT, secretId: SECRET }, w.writeToPbx),
    ).rejects.toMatchObject({ code: "ARCHIVER_KEY_UNCONFIRMED" });
    expect(w.pbxKey()).toBe("file-k1");
    expect([...w.keys.keys()].sort()).toEqual(["k1", "old"]);
    expect(w.versions.map((v) => v.state)).toEqual(["ENABLED", "ENABLED"]);
  });

  it("a failed retirement is reported, and 3CX still holds the new key", async () => {
    const w = world("deleteOld");
    const installed = await installArchiverKey(
      w.ports,
      { accountEmail: ACCOUNT, secretId: SECRET },
      w.writeToPbx,
    );
    expect(w.pbxKey()).toBe("file-k1");
    expect(installed.notRetired).toEqual(["key old: IAM down"]);
    expect(w.log.lines.map((e) => e.event)).toContain("archiverKeyRetireFailed");
  });

  it("refuses before making a key when the secret does not exist", async () => {
    const w = world();
    await expect(
      installArchiverKey(w.ports, { accountEmail: ACCOUNT, secretId: "no-such-secret" }, w.writeToPbx),
    ).rejects.toMatchObject({ code: "ARCHIVER_SECRET_MISSING" });
    expect(w.calls).toEqual([]);
  });

  it("never logs key material", async () => {
    const w = world();
    await installArchiverKey(w.ports, { accountEmail: ACCOUNT, secretId: SECRET }, w.writeToPbx);
    expect(JSON.stringify(w.log.lines)).not.toContain("file-k1");
  });
});
