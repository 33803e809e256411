import { randomBytes } from "node:crypto";
import type * as GrpcJs from "@grpc/grpc-js";

/** What a browser's grecaptcha.enterprise.execute would have produced: minted through the admin API. */
export interface MintedToken {
  siteKey: string;
  action: string;
  score: number;
  hostname: string;
  /** When the browser got it; a token is good for two minutes (Google's documented lifetime). */
  createTime: Date;
  used: boolean;
}

export const TOKEN_LIFETIME_MS = 2 * 60 * 1000;
const PROJECT = /^projects\/[a-z0-9-]{4,30}$/;

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface CreateAssessmentRequest {
  parent?: string;
  assessment?: {
    event?: { token?: string; siteKey?: string; expectedAction?: string; userIpAddress?: string };
  };
}

/**
 * The reCAPTCHA Enterprise API's CreateAssessment, as far as a score-based key's tokens go:
 * MISSING for no token, MALFORMED for one never issued, EXPIRED after two minutes, DUPE when
 * assessed a second time, KEY_MISMATCH for another key's token; otherwise valid with the
 * token's action, hostname and score. The expected action is echoed, not judged: the caller
 * compares it with tokenProperties.action, as Google's samples do. Every other RPC is UNIMPLEMENTED.
 */
export class RecaptchaService {
  readonly tokens = new Map<string, MintedToken>();
  readonly assessments: { parent: string; token: string; expectedAction?: string; at: Date }[] = [];

  mint(token: Omit<MintedToken, "used" | "createTime"> & { ageMs?: number }): string {
    const id = randomBytes(24).toString("base64url");
    this.tokens.set(id, {
      siteKey: token.siteKey,
      action: token.action,
      score: token.score,
      hostname: token.hostname,
      createTime: new Date(Date.now() - (token.ageMs ?? 0)),
      used: false,
    });
    return id;
  }

  createAssessment(request: CreateAssessmentRequest, grpc: typeof GrpcJs): unknown {
    const parent = request.parent ?? "";
    if (!PROJECT.test(parent))
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `parent must be projects/PROJECT, got ${JSON.stringify(parent)}`,
      );
    const event = request.assessment?.event;
    if (!event?.siteKey)
      throw new RpcError(grpc.status.INVALID_ARGUMENT, "assessment.event.site_key is required");
    const token = event.token ?? "";
    this.assessments.push({ parent, token, expectedAction: event.expectedAction, at: new Date() });
    const name = `${parent}/assessments/${randomBytes(8).toString("hex")}`;
    const invalid = (reason: string) => ({
      name,
      event,
      tokenProperties: { valid: false, invalidReason: reason },
      riskAnalysis: { score: 0, reasons: [] },
    });
    if (!token) return invalid("MISSING");
    const minted = this.tokens.get(token);
    if (!minted) return invalid("MALFORMED");
    if (Date.now() - minted.createTime.getTime() > TOKEN_LIFETIME_MS) return invalid("EXPIRED");
    if (minted.used) return invalid("DUPE");
    minted.used = true;
    if (minted.siteKey !== event.siteKey) return invalid("KEY_MISMATCH");
    const seconds = Math.floor(minted.createTime.getTime() / 1000);
    return {
      name,
      event,
      tokenProperties: {
        valid: true,
        invalidReason: "INVALID_REASON_UNSPECIFIED",
        createTime: { seconds: String(seconds), nanos: 0 },
        hostname: minted.hostname,
        action: minted.action,
      },
      riskAnalysis: { score: minted.score, reasons: minted.score < 0.5 ? ["LOW_CONFIDENCE_SCORE"] : [] },
    };
  }

  handlers(grpc: typeof GrpcJs, service: GrpcJs.ServiceDefinition): GrpcJs.UntypedServiceImplementation {
    const handlers: GrpcJs.UntypedServiceImplementation = {};
    for (const method of Object.keys(service)) {
      handlers[method] = (_call: unknown, callback: GrpcJs.sendUnaryData<unknown>) =>
        callback({
          code: grpc.status.UNIMPLEMENTED,
          details: `${method} is not implemented by the reCAPTCHA stand-in`,
          metadata: new grpc.Metadata(),
        });
    }
    handlers.CreateAssessment = (
      call: GrpcJs.ServerUnaryCall<CreateAssessmentRequest, unknown>,
      callback: GrpcJs.sendUnaryData<unknown>,
    ) => {
      try {
        callback(null, this.createAssessment(call.request, grpc));
      } catch (error) {
        const code = error instanceof RpcError ? error.code : grpc.status.INTERNAL;
        callback({
          code,
          details: error instanceof Error ? error.message : String(error),
          metadata: new grpc.Metadata(),
        });
      }
    };
    return handlers;
  }
}
