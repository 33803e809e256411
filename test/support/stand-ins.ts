import { inject } from "vitest";

/**
 * The loopback host of a stand-in started by the global setup, or a reason it is missing.
 * Suites use the reason in their skip message; under CI=true the global setup fails instead.
 */
export function standInHost(
  name:
    | "pubsubStandIn"
    | "firestoreStandIn"
    | "cloudTasksStandIn"
    | "recaptchaStandIn"
    | "cloudStorageStandIn",
): {
  host?: string;
  /** The stand-in's admin address, for those that have one (Cloud Tasks: its dispatch records). */
  admin?: string;
  skipReason: string;
} {
  const availability = inject(name);
  if ("host" in availability)
    return {
      host: availability.host,
      ...(availability.admin ? { admin: availability.admin } : {}),
      skipReason: "",
    };
  return { skipReason: `${name} unavailable: ${availability.unavailable}` };
}

/** Polls until the check passes or the time is up; returns the last value for the assertion. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  until: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!until(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await check();
  }
  return value;
}

/**
 * The environment that points @google-cloud/storage at the Cloud Storage stand-in, for a child
 * process or a deployed-artifact run ({} when the stand-in is not there). In-process clients take
 * `apiEndpoint: http://HOST` instead: no test sets process-wide emulator variables.
 */
export function storageEmulatorEnv(): Record<string, string> {
  const { host } = standInHost("cloudStorageStandIn");
  return host ? { STORAGE_EMULATOR_HOST: `http://${host}` } : {};
}
