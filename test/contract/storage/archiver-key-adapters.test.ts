import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IamServiceAccountKeys } from "../../../shared/adapters/gcp/iam-service-account-keys.js";
import { SecretManagerVersions } from "../../../shared/adapters/gcp/secret-manager-versions.js";
import { fixedSourceCredential } from "../../../shared/adapters/google/source-credential.js";
import { KeyMaterial } from "../../../shared/domain/storage/key-material.js";
import { type GoogleSimulator, startGoogleSimulator } from "../../../shared/simulators/google/server.js";
import { type SecretManagerServer, startSecretManagerServer } from "../../standins/secret-manager/server.js";

const PROJECT = "acme-pbx";
const OPERATOR = "operator-token";
let google: GoogleSimulator;
let sm: SecretManagerServer;
let keys: IamServiceAccountKeys;
let secrets: SecretManagerVersions;
let account: string;

beforeAll(async () => {
  google = await startGoogleSimulator();
  google.tenant.iamKeys.operatorTokens.add(OPERATOR);
  account = google.tenant.iamKeys.addServiceAccount(PROJECT, "gw3cx-archiver").email;
  sm = await startSecretManagerServer();
  sm.service.createSecret(PROJECT, "gw3cx-archiver-key");
  keys = new IamServiceAccountKeys({
    credential: fixedSourceCredential(OPERATOR),
    apiRootUrl: google.endpoints.apiRootUrl,
    timeoutMs: 10_000,
  });
  secrets = new SecretManagerVersions(PROJECT, { SECRET_MANAGER_EMULATOR_HOST: sm.host });
});

afterAll(async () => {
  await secrets?.close();
  await sm?.stop();
  await google?.close();
});

describe("IAM service-account keys (client library against the Google simulator)", () => {
  it("creates a key whose file is a credentials file of the account, lists and deletes user-managed keys only", async () => {
    const { keyId, keyFile } = await keys.createKey(account);
    const file = JSON.parse(keyFile.reveal()) as Record<string, string>;
    expect(file).toMatchObject({ type: "service_account", client_email: account, private_key_id: keyId });
    expect(file.private_key).toContain("BEGIN PRIVATE KEY");
    expect(await keys.listKeyIds(account)).toEqual([keyId]);
    // The system-managed key exists but is neither listed nor deletable.
    expect(google.tenant.iamKeys.accounts.get(account)?.keys.size).toBe(2);
    await keys.deleteKey(account, keyId);
    expect(await keys.listKeyIds(account)).toEqual([]);
  });

  it("names the organization policy when it forbids keys", async () => {
    google.tenant.iamKeys.keyCreationDisabled.add(PROJECT);
    try {
      await expect(keys.createKey(account)).rejects.toMatchObject({
        code: "KEY_CREATION_FORBIDDEN",
        message: expect.stringContaining("constraints/iam.disableServiceAccountKeyCreation"),
      });
    } finally {
      google.tenant.iamKeys.keyCreationDisabled.delete(PROJECT);
    }
  });

  it("says which account is missing, and refuses a caller who may not manage keys", async () => {
    await expect(
      keys.listKeyIds(`gw3cx-archiver@other-project.iam.gserviceaccount.com`),
    ).rejects.toMatchObject({
      code: "ACCOUNT_NOT_FOUND",
    });
    const stranger = new IamServiceAccountKeys({
      credential: fixedSourceCredential("not-a-token"),
      apiRootUrl: google.endpoints.apiRootUrl,
      timeoutMs: 10_000,
    });
    await expect(stranger.createKey(account)).rejects.toMatchObject({ code: "KEY_PERMISSION_DENIED" });
  });
});

describe("Secret Manager versions (client library against the gRPC stand-in)", () => {
  it("adds versions, lists them newest first, reads the latest enabled one, disables older ones", async () => {
    expect(await secrets.hasSecret("gw3cx-archiver-key")).toBe(true);
    expect(await secrets.hasSecret("no-such-secret")).toBe(false);
    const first = await secrets.addVersion("gw3cx-archiver-key", new KeyMaterial("one"));
    const second = await secrets.addVersion("gw3cx-archiver-key", new KeyMaterial("two"));
    expect((await secrets.listVersions("gw3cx-archiver-key")).map((v) => [v.name, v.state])).toEqual([
      [second, "ENABLED"],
      [first, "ENABLED"],
    ]);
    const latest = `projects/${PROJECT}/secrets/gw3cx-archiver-key/versions/latest`;
    expect((await secrets.accessVersion(latest)).reveal()).toBe("two");
    await secrets.disableVersion(second);
    expect((await secrets.accessVersion(latest)).reveal()).toBe("one");
    await expect(secrets.accessVersion(second)).rejects.toMatchObject({ code: "SECRET_FAILED" });
    await expect(secrets.addVersion("no-such-secret", new KeyMaterial("x"))).rejects.toMatchObject({
      code: "SECRET_NOT_FOUND",
    });
  });
});

describe("key material", () => {
  it("prints, serialises and inspects as a placeholder", () => {
    const key = new KeyMaterial("-----BEGIN PRIVATE KEY-----abc");
    for (const shown of [String(key), JSON.stringify({ key }), inspect({ key }), `${key}`]) {
      expect(shown).not.toContain("PRIVATE KEY");
    }
  });
});
