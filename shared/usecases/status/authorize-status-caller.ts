import type { IncomingHttpHeaders } from "node:http";
import { isGw3cxError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import type { CallerVerifier } from "../../ports/caller-identity.js";
import type { Directory } from "../../ports/directory.js";
import type { Access } from "./status-access.js";

export interface StatusAccessPorts {
  verifier: CallerVerifier;
  /** Asked whether the caller is a Workspace admin when no admin list is configured. */
  directory: Pick<Directory, "getUser">;
  logger: Logger;
}

const SIGN_IN =
  "This page needs a Workspace admin signed in through IAP, or a Google ID token (Authorization: Bearer).";

/**
 * The cloud status page's gate, for reading and approving alike: a caller Google vouched for
 * (IAP or ID token) who is on the configured admin list, or, without a list, a Workspace admin
 * according to the Directory. No shared password exists anywhere.
 */
export async function authorizeStatusCaller(
  headers: IncomingHttpHeaders,
  ports: StatusAccessPorts,
  admins: readonly string[],
): Promise<Access> {
  let caller: Awaited<ReturnType<CallerVerifier["verify"]>>;
  try {
    caller = await ports.verifier.verify(headers);
  } catch (error) {
    if (!isGw3cxError(error, "CALLER_REJECTED")) throw error;
    ports.logger.event("statusPageCallerRejected", { error });
    return { allowed: false, status: 401, reason: `${error.message}. ${SIGN_IN}` };
  }
  if (!caller) return { allowed: false, status: 401, reason: SIGN_IN };
  const isAdmin =
    admins.length > 0
      ? admins.some((a) => a.toLowerCase() === caller.email)
      : (await ports.directory.getUser(caller.email))?.isAdmin === true;
  if (!isAdmin) {
    ports.logger.event("statusPageCallerNotAdmin", { email: caller.email, via: caller.via });
    return {
      allowed: false,
      status: 403,
      reason: `${caller.email} is not ${admins.length > 0 ? "on the status page's admin list" : "a Workspace admin"}.`,
    };
  }
  return { allowed: true, viewer: `${caller.email} (${caller.via === "iap" ? "IAP" : "ID token"})` };
}
