/**
 * Every error gw3cx raises on purpose is a Gw3cxError: a stable machine-readable `code`
 * (safe to alert on and to assert in tests), a human message, optional details for logs,
 * and the original `cause`, never swallowed.
 */
export class Gw3cxError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: Code,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A plain object for structured logs (the logger redacts secrets inside details). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      details: this.details,
      cause:
        this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause,
    };
  }
}

export function isGw3cxError(value: unknown, code?: string): value is Gw3cxError {
  return value instanceof Gw3cxError && (code === undefined || value.code === code);
}

/** Result of an operation that can fail in an expected way: errors as values, not exceptions. */
export type Result<T, E = Gw3cxError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
