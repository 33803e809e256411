import { describe, expect, it } from "vitest";
import type { Gw3cxStackProps } from "../../../infra/gw3cx-stack.js";
import { synthTestStack } from "../../support/synth-test-stack.js";

type Resource = Record<string, unknown>;
interface Synthesized {
  resource: Record<string, Record<string, Resource>>;
  output: Record<string, { value: unknown }>;
}

function synthesize(props: Partial<Gw3cxStackProps> = {}): Synthesized {
  return synthTestStack<Synthesized>({
    settingsEnv: { GW3CX_RECAPTCHA: "true", GW3CX_RECAPTCHA_ALLOWED_ORIGINS: "https://www.example.com" },
    ...props,
  });
}

const all = (tf: Synthesized, type: string) => Object.entries(tf.resource[type] ?? {});

describe("infra: reCAPTCHA (recaptcha.enabled)", () => {
  const tf = synthesize({ recaptcha: { domains: ["pbx.example.com", "www.example.com"] } });
  const [keyId, key] = all(tf, "google_recaptcha_enterprise_key")[0] ?? [];
  const [, fn] =
    all(tf, "google_cloudfunctions2_function").find(([, f]) => f.name === "gw3cx-recaptcha-verify") ?? [];
  const [saId] =
    all(tf, "google_service_account").find(([, a]) => a.account_id === "gw3cx-recaptcha-verify") ?? [];

  it("creates one score-based Enterprise key for exactly the configured domains", () => {
    expect(all(tf, "google_recaptcha_enterprise_key")).toHaveLength(1);
    expect(key).toMatchObject({
      project: "${var.project_id}",
      web_settings: {
        integration_type: "SCORE",
        allowed_domains: ["pbx.example.com", "www.example.com"],
        allow_all_domains: false,
        allow_amp_traffic: false,
      },
    });
  });

  it("deploys recaptchaVerify public, bounded, as its own account, with the key as its site key", () => {
    expect(fn).toMatchObject({
      build_config: { entry_point: "recaptchaVerify" },
      service_config: {
        service_account_email: `\${google_service_account.${saId}.email}`,
        ingress_settings: "ALLOW_ALL",
        max_instance_count: 3,
        environment_variables: {
          GW3CX_RECAPTCHA_SITE_KEY: `\${google_recaptcha_enterprise_key.${keyId}.name}`,
          GW3CX_RECAPTCHA_ALLOWED_ORIGINS: "https://www.example.com",
          GW3CX_GCP_PROJECT: "${var.project_id}",
        },
      },
    });
    const secrets = (fn?.service_config as Resource | undefined)?.secret_environment_variables;
    expect(secrets ?? []).toEqual([]);
    expect(tf.output.recaptcha_site_key?.value).toBe(`\${google_recaptcha_enterprise_key.${keyId}.name}`);
  });

  it("grants its account the reCAPTCHA Enterprise Agent role and nothing else", () => {
    const member = `serviceAccount:\${google_service_account.${saId}.email}`;
    const grants = Object.values(tf.resource)
      .flatMap((byId) => Object.values(byId))
      .filter((r) => r.member === member)
      .map((r) => r.role);
    expect(grants).toEqual(["roles/recaptchaenterprise.agent"]);
  });

  it("creates neither key nor function when reCAPTCHA is off", () => {
    const off = synthesize();
    expect(all(off, "google_recaptcha_enterprise_key")).toEqual([]);
    expect(all(off, "google_cloudfunctions2_function").map(([, f]) => f.name)).not.toContain(
      "gw3cx-recaptcha-verify",
    );
  });
});
