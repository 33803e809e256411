import { z } from "zod";

/**
 * Secrets are never stored in settings, only referenced:
 *   env:NAME                                        an environment variable (local runs, tests)
 *   sm:projects/P/secrets/NAME[/versions/V]         a Secret Manager secret version (cloud)
 */
export type SecretRef = { kind: "env"; name: string } | { kind: "secretManager"; name: string };

const ENV = /^env:([A-Z_][A-Z0-9_]*)$/;
const SECRET_MANAGER = /^sm:(projects\/[^/\s]+\/secrets\/[^/\s]+(?:\/versions\/[^/\s]+)?)$/;

export const SECRET_REF_ALLOWED =
  'a reference, not the secret itself: "env:VARIABLE_NAME" or "sm:projects/PROJECT/secrets/NAME[/versions/N]"';

export const secretRefSchema = z.string().transform((value, ctx): SecretRef => {
  const env = ENV.exec(value);
  if (env?.[1]) return { kind: "env", name: env[1] };
  const sm = SECRET_MANAGER.exec(value);
  if (sm?.[1]) {
    const name = sm[1].includes("/versions/") ? sm[1] : `${sm[1]}/versions/latest`;
    return { kind: "secretManager", name };
  }
  ctx.addIssue({ code: "custom", message: `expected ${SECRET_REF_ALLOWED}` });
  return z.NEVER;
});

export function describeSecretRef(ref: SecretRef): string {
  return ref.kind === "env" ? `env:${ref.name}` : `sm:${ref.name}`;
}
