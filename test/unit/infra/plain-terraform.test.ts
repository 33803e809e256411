import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_ADDRESSES, SECRET_IDS } from "../../../infra/constructs/secrets.js";
import { FUNCTIONS, STATE_PREFIX } from "../../../infra/gw3cx-stack.js";
import { STACK_NAME, synthesize } from "../../../infra/synthesize.js";
import { loadSettings } from "../../../shared/config/load-settings.js";
import { tfValidateUnavailable, validateTerraformJson } from "../../standins/tf-validate.js";
import { placeholderFunctionArtifacts } from "../../support/placeholder-function-artifacts.js";

/** Every feature that adds resources, so every construct's output is loaded. */
const EVERY_FEATURE = {
  GW3CX_CALENDAR_PRESENCE: "true",
  GW3CX_SYNC_PERSONAL_CONTACTS: "true",
  GW3CX_MAIL_DIGEST: "true",
  GW3CX_RECAPTCHA: "true",
  GW3CX_RECAPTCHA_DOMAINS: "pbx.example.com",
  GW3CX_REMOTE_ARCHIVING: "true",
  GW3CX_TRANSCRIPTION: "true",
  GW3CX_TRANSCRIPTION_MAIL_VOICEMAILS: "true",
  GW3CX_ALERTS_EMAIL: "oncall@example.com",
  GW3CX_STATUS_IAP_AUDIENCE: "/projects/1/locations/europe-west1/services/gw3cx-status-page",
  GW3CX_GOOGLE_ADMIN_SUBJECT: "admin@example.com",
};

const unavailable = tfValidateUnavailable();
// On CI a missing checker fails the run (.ci/run installs what it needs); locally it says why it skips.
const missingOnCi = unavailable !== undefined && process.env.CI === "true";
const describeWithChecker = unavailable === undefined || missingOnCi ? describe : describe.skip;

const root = mkdtempSync(join(tmpdir(), "gw3cx-plain-terraform-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sources = placeholderFunctionArtifacts(root);
const synthAt = (name: string, env: Record<string, string>): string => {
  const outdir = join(root, name);
  synthesize(loadSettings({ env }), { outdir, functionSourceDir: sources });
  return join(outdir, "stacks", STACK_NAME);
};

describe("infra: where Terraform keeps its state", () => {
  it("gcp.terraformStateBucket moves the state to Cloud Storage; unset, a local file", () => {
    const remote = JSON.parse(
      readFileSync(
        join(synthAt("remote-state", { GW3CX_TERRAFORM_STATE_BUCKET: "acme-gw3cx-tfstate" }), "cdk.tf.json"),
        "utf8",
      ),
    );
    expect(remote.terraform.backend).toEqual({
      gcs: { bucket: "acme-gw3cx-tfstate", prefix: STATE_PREFIX },
    });
    const local = JSON.parse(readFileSync(join(synthAt("local-state", {}), "cdk.tf.json"), "utf8"));
    expect(Object.keys(local.terraform.backend)).toEqual(["local"]);
    expect(() => loadSettings({ env: { GW3CX_TERRAFORM_STATE_BUCKET: "Not A Bucket" } })).toThrow(
      /gcp\.terraformStateBucket[\s\S]*Not A Bucket/,
    );
  }, 120_000);
});

describeWithChecker(
  `infra: the synthesized JSON loads as plain Terraform / OpenTofu${unavailable && !missingOnCi ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    it("with every feature on: no reference to anything undeclared, every upload's file beside it", () => {
      if (missingOnCi) throw new Error(`tf-validate cannot be built on CI: ${unavailable}`);
      const stackDir = synthAt("every-feature", EVERY_FEATURE);
      expect(validateTerraformJson(stackDir)).toEqual([]);
      const tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
      // Zips are referenced relative to the stack folder, so `terraform apply` runs from there.
      const uploads = Object.values(tf.resource.google_storage_bucket_object) as { source: string }[];
      expect(uploads.length).toBe(Object.keys(FUNCTIONS).length);
      for (const { source } of uploads) expect(source).toMatch(/^assets\//);
      expect(tf.terraform.required_providers.google.version).toMatch(/^\d+\.\d+\.\d+$/);
      // The first deploy targets the secrets by these addresses (README, Deploy step by step).
      for (const [key, address] of Object.entries(SECRET_ADDRESSES))
        expect(tf.resource.google_secret_manager_secret[address]?.secret_id, address).toBe(
          SECRET_IDS[key as keyof typeof SECRET_IDS],
        );
    }, 120_000);

    it("with the defaults, as a newcomer first deploys", () => {
      if (missingOnCi) throw new Error(`tf-validate cannot be built on CI: ${unavailable}`);
      expect(validateTerraformJson(synthAt("defaults", {}))).toEqual([]);
    }, 120_000);

    it("the checker refuses what Terraform refuses: a templated depends_on, an undeclared resource, a missing zip", () => {
      if (missingOnCi) throw new Error(`tf-validate cannot be built on CI: ${unavailable}`);
      const dir = join(root, "broken");
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "main.tf.json"),
        JSON.stringify({
          terraform: { required_providers: { google: { source: "hashicorp/google", version: "6.50.0" } } },
          provider: { google: [{}] },
          resource: {
            google_pubsub_topic: { a: { name: "a" } },
            google_pubsub_subscription: {
              // cdktf renders `resource.fqn` in depends_on like this; Terraform wants a bare "type.name".
              s: {
                name: "s",
                topic: "${google_pubsub_topic.missing.id}",
                depends_on: ["${google_pubsub_topic.a}"],
              },
            },
            google_storage_bucket_object: { zip: { name: "z", bucket: "b", source: "assets/none.zip" } },
          },
        }),
      );
      const messages = validateTerraformJson(dir).map((p) => p.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Invalid expression/),
          expect.stringContaining("undeclared resource google_pubsub_topic.missing"),
          expect.stringContaining('source "assets/none.zip" does not exist'),
        ]),
      );
    });
  },
);
