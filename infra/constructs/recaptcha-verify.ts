import { RecaptchaEnterpriseKey } from "@cdktf/provider-google/lib/recaptcha-enterprise-key/index.js";
import type { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object/index.js";
import { Construct } from "constructs";
import { FUNCTION_SIZING } from "../function-sizing.js";
import { CloudFunction } from "./cloud-function.js";
import { FunctionServiceAccount } from "./function-service-account.js";

export interface RecaptchaVerifyProps {
  projectId: string;
  region: string;
  /** Domains the key accepts tokens from (recaptcha.domains); subdomains are included. */
  domains: readonly string[];
  name: string;
  entryPoint: string;
  source: StorageBucketObject;
  /** The settings every function reads (infra adds the project, region and the key). */
  environment: Record<string, string>;
}

/**
 * reCAPTCHA for the customer's own forms: a score-based Enterprise key for their domains, and the
 * public verify function that assesses tokens with it, as its own account with only the
 * reCAPTCHA Enterprise Agent role (createAssessment, nothing else).
 */
export class RecaptchaVerify extends Construct {
  readonly key: RecaptchaEnterpriseKey;
  readonly fn: CloudFunction;

  constructor(scope: Construct, id: string, props: RecaptchaVerifyProps) {
    super(scope, id);
    this.key = new RecaptchaEnterpriseKey(this, "key", {
      project: props.projectId,
      displayName: "gw3cx web forms",
      webSettings: {
        integrationType: "SCORE",
        allowedDomains: [...props.domains],
        allowAllDomains: false,
        allowAmpTraffic: false,
      },
    });
    const account = new FunctionServiceAccount(this, "sa", {
      projectId: props.projectId,
      accountId: "gw3cx-recaptcha-verify",
      displayName: "gw3cx reCAPTCHA verify",
      projectRoles: ["roles/recaptchaenterprise.agent"],
    });
    this.fn = new CloudFunction(this, "function", {
      projectId: props.projectId,
      region: props.region,
      name: props.name,
      description: "reCAPTCHA checks for the customer's web forms (createAssessment)",
      entryPoint: props.entryPoint,
      source: props.source,
      serviceAccountEmail: account.email,
      secrets: [],
      // The key's resource id is the site key itself.
      environment: { ...props.environment, GW3CX_RECAPTCHA_SITE_KEY: this.key.name },
      sizing: FUNCTION_SIZING.recaptchaVerify,
      // Browsers call it from the customer's pages: public, CORS for the configured origins.
      ingress: "ALLOW_ALL",
      publicInvoker: true,
    });
  }
}
