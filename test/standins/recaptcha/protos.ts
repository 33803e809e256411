import { loadShippedService } from "../shipped-protos.js";

/** The reCAPTCHA Enterprise v1 service as @google-cloud/recaptcha-enterprise ships it. */
export function loadRecaptchaService() {
  return loadShippedService(
    "@google-cloud/recaptcha-enterprise",
    "google/cloud/recaptchaenterprise/v1/recaptchaenterprise.proto",
    "google.cloud.recaptchaenterprise.v1.RecaptchaEnterpriseService",
  );
}
