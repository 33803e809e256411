/** An answer in Cloud Storage's JSON error shape: {error: {code, message, errors: [{domain, reason, message}]}}. */
export class GcsError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ domain: "global", reason: this.reason, message: this.message }],
      },
    };
  }
}

export const noSuchBucket = () => new GcsError(404, "notFound", "The specified bucket does not exist.");
export const noSuchObject = (bucket: string, name: string) =>
  new GcsError(404, "notFound", `No such object: ${bucket}/${name}`);
export const conditionNotMet = () =>
  new GcsError(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
export const invalid = (message: string) => new GcsError(400, "invalid", message);
/** The stand-in never ignores what it does not do: it says what it was asked and refuses. */
export const notImplemented = (what: string) =>
  new GcsError(501, "notImplemented", `the Cloud Storage stand-in does not implement ${what}`);
