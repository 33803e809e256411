import { resolveSecret } from "../config/resolve-secret.js";
import type { Settings } from "../config/schema.js";
import type { PbxSettingsConfig } from "../usecases/pbx-settings/configure-pbx-settings.js";

/** The slice of the settings the PBX settings plan reads; the sign-in secret only when applied. */
export function pbxSettingsConfigFrom(
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): PbxSettingsConfig {
  const secretRef = settings.google.signInClientSecret;
  return {
    mail: settings.mail.configurePbx
      ? {
          server: settings.mail.smtpRelay,
          address: settings.mail.pbxSender ?? settings.google.mailSender ?? settings.google.adminSubject,
        }
      : undefined,
    recaptcha: settings.recaptcha.enabled,
    signIn: {
      enabled: settings.sso,
      clientId: settings.google.signInClientId,
      clientSecret: secretRef ? () => resolveSecret(secretRef, "google.signInClientSecret", env) : undefined,
    },
  };
}
