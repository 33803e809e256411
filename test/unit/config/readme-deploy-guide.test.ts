import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_ADDRESSES, SECRET_IDS } from "../../../infra/constructs/secrets.js";
import { loadSettings } from "../../../shared/config/load-settings.js";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const guide = readme.slice(
  readme.indexOf("## Deploy step by step"),
  readme.indexOf("### Plain Terraform or OpenTofu"),
);
const blocks = (lang: string) =>
  [...guide.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] ?? "");

describe("README: the deploy guide's commands and settings are the real ones", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw3cx-readme-guide-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("its settings file loads as written", () => {
    const [yaml] = blocks("yaml");
    expect(yaml).toBeDefined();
    const file = join(dir, "gw3cx.yaml");
    writeFileSync(file, yaml ?? "");
    const settings = loadSettings({ env: { GW3CX_CONFIG: file } });
    expect(settings.gcp.projectId).toBe("acme-gw3cx");
    expect(settings.threecx.clientSecret).toMatchObject({ kind: "secretManager" });
    // The account the CLI acts as is one infra creates, in the same project.
    expect(settings.google.serviceAccountEmail).toBe(
      `gw3cx-daily-sync@${settings.gcp.projectId}.iam.gserviceaccount.com`,
    );
  });

  it("targets the secrets at their Terraform addresses and fills them under their ids", () => {
    const shell = blocks("sh").join("\n");
    for (const address of Object.values(SECRET_ADDRESSES))
      expect(shell).toContain(`-target=google_secret_manager_secret.${address}`);
    for (const id of Object.values(SECRET_IDS)) expect(shell).toContain(`gcloud secrets versions add ${id} `);
  });
});
