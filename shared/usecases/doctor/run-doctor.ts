import { type CheckResult, fail } from "../../domain/doctor/check-result.js";
import type { DoctorCheck, DoctorConfig, DoctorPorts } from "./doctor-ports.js";

/**
 * Runs every check at once, each bounded by `config.checkTimeoutMs`: a check that hangs or throws
 * becomes a FAIL line for each result it would have given, and the others still report.
 * Results keep the order of `checks`.
 */
export async function runDoctor(
  checks: readonly DoctorCheck[],
  ports: DoctorPorts,
  config: DoctorConfig,
): Promise<CheckResult[]> {
  const outcomes = await Promise.all(checks.map((check) => runBounded(check, ports, config)));
  return outcomes.flat();
}

async function runBounded(
  check: DoctorCheck,
  ports: DoctorPorts,
  config: DoctorConfig,
): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), config.checkTimeoutMs);
  });
  try {
    const outcome = await Promise.race([check.run(ports, config), timedOut]);
    if (outcome !== "timeout") return outcome;
    const seconds = (config.checkTimeoutMs / 1000).toFixed(1);
    return check.names.map((name) =>
      fail(
        name,
        `no answer within ${seconds} s`,
        "find what hangs (the service named in the check) and run doctor again",
      ),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return check.names.map((name) =>
      fail(name, `the check failed: ${message}`, "see the message; run with --verbose for details"),
    );
  } finally {
    clearTimeout(timer);
  }
}
