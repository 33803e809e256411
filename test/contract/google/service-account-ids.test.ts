import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IamServiceAccountIds } from "../../../shared/adapters/google/service-account-ids.js";
import { fixedSourceCredential } from "../../../shared/adapters/google/source-credential.js";
import { CLIENT_ID, SERVICE_ACCOUNT, SOURCE_TOKEN, startWorkspace, type Workspace } from "./support.js";

describe("IAM serviceAccounts.get: the client id domain-wide delegation is granted to", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await startWorkspace();
  });
  afterEach(() => ws.close());

  const ids = (token: string) =>
    new IamServiceAccountIds({
      sourceCredential: fixedSourceCredential(token),
      apiRootUrl: ws.sim.endpoints.apiRootUrl,
      timeoutMs: 5_000,
    });

  it("reads the account's uniqueId", async () => {
    expect(await ids(SOURCE_TOKEN).clientIdOf(SERVICE_ACCOUNT)).toBe(CLIENT_ID);
  });

  it("is undefined for an account it may not see and for a refused credential", async () => {
    expect(await ids(SOURCE_TOKEN).clientIdOf("nobody@gw3cx-test.iam.gserviceaccount.com")).toBeUndefined();
    await expect(ids("not-a-token").clientIdOf(SERVICE_ACCOUNT)).resolves.toBeUndefined();
  });

  it("refuses a fields selection outside IAM's ServiceAccount schema", async () => {
    const response = await fetch(
      new URL(
        `v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT}?fields=uniqueId,secretKey`,
        ws.sim.endpoints.apiRootUrl,
      ),
      { headers: { Authorization: `Bearer ${SOURCE_TOKEN}` } },
    );
    expect(response.status).toBe(400);
  });
});
