import { describe, expect, it } from "vitest";
import { type CheckResult, doctorPassed, pass, warn } from "../../../../shared/domain/doctor/check-result.js";
import type {
  DoctorCheck,
  DoctorConfig,
  DoctorPorts,
} from "../../../../shared/usecases/doctor/doctor-ports.js";
import { runDoctor } from "../../../../shared/usecases/doctor/run-doctor.js";

const config = { checkTimeoutMs: 100 } as DoctorConfig;
const ports = {} as DoctorPorts;
const answersAfter = (ms: number, results: CheckResult[]): DoctorCheck => ({
  names: results.map((r) => r.name),
  run: () => new Promise((resolve) => setTimeout(() => resolve(results), ms)),
});

describe("runDoctor", () => {
  it("runs the checks at once, each bounded, and keeps their order", async () => {
    const hanging: DoctorCheck = {
      names: ["3cx-reachable", "3cx-api-client"],
      run: () => new Promise(() => {}),
    };
    const started = performance.now();
    const results = await runDoctor(
      [answersAfter(60, [pass("first", "ok")]), hanging, answersAfter(60, [warn("last", "so so", "fix it")])],
      ports,
      config,
    );
    expect(performance.now() - started).toBeLessThan(400);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["first", "pass"],
      ["3cx-reachable", "fail"],
      ["3cx-api-client", "fail"],
      ["last", "warn"],
    ]);
    expect(results[1]?.found).toBe("no answer within 0.1 s");
    expect(doctorPassed(results)).toBe(false);
    expect(doctorPassed([results[0] as CheckResult, results[3] as CheckResult])).toBe(true);
  });

  it("turns a check that throws into a FAIL line per result instead of stopping the others", async () => {
    const broken: DoctorCheck = {
      names: ["dead-letters"],
      run: async () => {
        throw new Error("subscription gone");
      },
    };
    const results = await runDoctor([broken, answersAfter(1, [pass("ok", "fine")])], ports, config);
    expect(results[0]).toMatchObject({
      name: "dead-letters",
      status: "fail",
      found: "the check failed: subscription gone",
    });
    expect(results[1]).toMatchObject({ name: "ok", status: "pass" });
  });
});
