/**
 * The error the simulator answers with, in the PBX's OData shape:
 *   {"error":{"code":"","message":"...","details":[{"code":"WARNINGS.XAPI.DUPLICATE","message":"...","target":"EmailAddress"}]}}
 */
export interface ODataErrorDetail {
  code: string;
  message: string;
  target: string | null;
}

export interface ODataErrorBody {
  error: { code: string; message: string; details: ODataErrorDetail[] };
}

export type SimErrorKind =
  /** The request breaks the spec (unknown property, wrong type, bad query option, unknown path). */
  | "spec"
  /** A rule the PBX adds on top of the spec (duplicate number, immutable field, ...). */
  | "rule"
  | "auth"
  | "notFound"
  | "fault";

export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly kind: SimErrorKind,
    message: string,
    readonly detail?: { code: string; target: string },
  ) {
    super(message);
  }

  toBody(): ODataErrorBody {
    const target = this.detail?.target ?? null;
    return {
      error: {
        code: "",
        message: target ? `${target}: ${this.message}` : this.message,
        details: this.detail ? [{ code: this.detail.code, message: this.message, target }] : [],
      },
    };
  }
}

/** A spec violation: 400, naming the property (target) and why. */
export function specViolation(target: string, message: string, code = "WARNINGS.INVALID"): SimError {
  return new SimError(400, "spec", message, { code, target });
}

/**
 * Something the spec has (a resource, a query option, a form of it) that the simulator does not
 * implement: refused with 501 so no test can pass because the request had no effect.
 */
export function notImplemented(target: string, what: string): SimError {
  return new SimError(501, "spec", `${what} is not implemented by the simulator`, {
    code: "WARNINGS.XAPI.NOT_SUPPORTED",
    target,
  });
}

/** A PBX rule: 400 with the PBX's own WARNINGS code. */
export function ruleViolation(code: string, target: string, message: string): SimError {
  return new SimError(400, "rule", message, { code, target });
}
