import { createRequire } from "node:module";
import { RecaptchaEnterpriseServiceClient } from "@google-cloud/recaptcha-enterprise";
import {
  type RecaptchaAssessment,
  type RecaptchaAssessmentRequest,
  type RecaptchaAssessor,
  RecaptchaError,
} from "../../ports/recaptcha.js";

type ClientOptions = NonNullable<ConstructorParameters<typeof RecaptchaEnterpriseServiceClient>[0]>;

/** Where a local reCAPTCHA Enterprise stand-in listens (host:port); Google ships no emulator. */
export const RECAPTCHA_EMULATOR_HOST_ENV = "RECAPTCHA_EMULATOR_HOST";

/** gRPC codes that say "try again", not "this request is wrong". */
const TRANSIENT = new Set([4, 8, 13, 14]); // DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE

function insecureCredentials(): unknown {
  const besideClient = createRequire(
    createRequire(import.meta.url).resolve("@google-cloud/recaptcha-enterprise"),
  );
  const gax = besideClient("google-gax") as { grpc: { credentials: { createInsecure(): unknown } } };
  return gax.grpc.credentials.createInsecure();
}

/**
 * createAssessment through Google's client: the ambient credentials (the function's own service
 * account) against Google, or plain gRPC without credentials against a stand-in at
 * RECAPTCHA_EMULATOR_HOST.
 */
export class RecaptchaEnterpriseAssessor implements RecaptchaAssessor {
  private readonly client: RecaptchaEnterpriseServiceClient;

  constructor(
    private readonly projectId: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const emulator = env[RECAPTCHA_EMULATOR_HOST_ENV];
    const match = emulator ? /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(emulator) : null;
    if (emulator && !match)
      throw new Error(`${RECAPTCHA_EMULATOR_HOST_ENV} must be host:port, got ${JSON.stringify(emulator)}`);
    this.client = match?.[1]
      ? new RecaptchaEnterpriseServiceClient({
          projectId,
          apiEndpoint: match[1].replace(/^\[|\]$/g, ""),
          port: Number(match[2]),
          sslCreds: insecureCredentials() as ClientOptions["sslCreds"],
        })
      : new RecaptchaEnterpriseServiceClient({ projectId });
  }

  async assess(request: RecaptchaAssessmentRequest): Promise<RecaptchaAssessment> {
    try {
      const [assessment] = await this.client.createAssessment(
        {
          parent: `projects/${this.projectId}`,
          assessment: {
            event: {
              token: request.token,
              siteKey: request.siteKey,
              expectedAction: request.expectedAction,
              ...(request.userIpAddress ? { userIpAddress: request.userIpAddress } : {}),
              ...(request.userAgent ? { userAgent: request.userAgent } : {}),
            },
          },
        },
        { timeout: 10_000 },
      );
      const token = assessment.tokenProperties;
      const invalidReason = token?.invalidReason ? String(token.invalidReason) : null;
      return {
        valid: token?.valid === true,
        invalidReason:
          token?.valid === true || invalidReason === "INVALID_REASON_UNSPECIFIED" ? null : invalidReason,
        action: token?.action || null,
        hostname: token?.hostname || null,
        score: token?.valid === true ? float32ToDecimal(assessment.riskAnalysis?.score) : null,
        reasons: (assessment.riskAnalysis?.reasons ?? []).map(String),
      };
    } catch (cause) {
      const code = (cause as { code?: number }).code;
      throw new RecaptchaError(
        typeof code === "number" && !TRANSIENT.has(code) ? "RECAPTCHA_REFUSED" : "RECAPTCHA_UNAVAILABLE",
        `reCAPTCHA createAssessment failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause, details: { grpcCode: code } },
      );
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * The score is a protobuf float: 0.7 arrives as 0.699999988..., which a 0.7 threshold would
 * refuse. Scores come in steps of 0.1 (Google documents 11 levels), so two decimals keep them exact.
 */
function float32ToDecimal(score: number | null | undefined): number | null {
  return typeof score === "number" ? Math.round(score * 100) / 100 : null;
}
