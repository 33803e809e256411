import { Gw3cxError } from "../errors.js";
import { describeSecretRef, type SecretRef } from "./secret-ref.js";

/**
 * Turns a secret reference into the secret. In the cloud, infra mounts each Secret Manager
 * secret into the function as an environment variable, so functions read `env:` references
 * only and need no Secret Manager client on their cold path.
 */
export function resolveSecret(ref: SecretRef, setting: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.kind === "secretManager") {
    throw new Gw3cxError(
      "SECRET_UNRESOLVABLE",
      `${setting} refers to ${describeSecretRef(ref)}; mount that secret as an environment variable and refer to it as env:NAME`,
      { details: { setting } },
    );
  }
  const value = env[ref.name];
  if (value === undefined || value === "") {
    throw new Gw3cxError("SECRET_MISSING", `${setting} refers to $${ref.name}, which is not set`, {
      details: { setting, variable: ref.name },
    });
  }
  return value;
}
