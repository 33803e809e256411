import { isGw3cxError } from "../../errors.js";

/** Why an item failed, its stable code first, so a report and a script can tell failures apart. */
export function failureReason(error: unknown): string {
  if (isGw3cxError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
