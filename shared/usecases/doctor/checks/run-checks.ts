import { type CheckResult, fail, pass, warn } from "../../../domain/doctor/check-result.js";
import { ContactRunStore } from "../../contacts/contact-run-store.js";
import { type SyncRunView, withLiveness } from "../../user-sync/run-liveness.js";
import { SyncRunStore, type SyncTrigger } from "../../user-sync/sync-run-store.js";
import type { DoctorCheck } from "../doctor-ports.js";

const RUNS = "last-runs";
const KINDS: readonly SyncTrigger[] = ["daily", "manual", "realtime", "approval"];
const UNHEALTHY = new Set(["failed", "held", "abandoned"]);

/** The last user-sync run of each kind (and the last contacts run) did not fail, wait or die. */
export const runChecks: DoctorCheck = {
  names: [RUNS],
  async run(ports) {
    const now = ports.clock.now();
    const [recent, [contactRun]] = await Promise.all([
      new SyncRunStore(ports.state).latest(50),
      new ContactRunStore(ports.state).latest(1),
    ]);
    const runs = recent.map((run) => withLiveness(run, now));
    const last = KINDS.flatMap((kind) => runs.find((r) => r.trigger === kind) ?? []);
    if (last.length === 0)
      return [warn(RUNS, "no user-sync run is recorded yet", "run `gw3cx sync` (the nightly run will too)")];
    const bad = last.filter((run) => UNHEALTHY.has(run.status));
    const contactsFailed = contactRun?.status === "failed";
    if (bad.length === 0 && !contactsFailed) {
      return [pass(RUNS, last.map((run) => `${run.trigger} ${run.status}`).join(", "))];
    }
    const results: CheckResult[] = bad.map((run) =>
      fail(RUNS, `the last ${run.trigger} run ${run.runId} is ${run.status}${errorHint(run)}`, fixFor(run)),
    );
    if (contactsFailed) {
      results.push(
        fail(
          RUNS,
          `the last personal-contacts run ${contactRun.runId} failed for ${contactRun.users.failed} users`,
          "`gw3cx status` lists the failures; `gw3cx contacts sync` runs it again",
        ),
      );
    }
    return results;
  },
};

function errorHint(run: SyncRunView): string {
  const first = run.errors[0];
  return first ? ` (${first.code}: ${first.message})` : "";
}

function fixFor(run: SyncRunView): string {
  if (run.status === "held") {
    return `review the users it would disable (\`gw3cx status\`), then \`gw3cx sync --approve ${run.runId}\``;
  }
  if (run.status === "abandoned")
    return "its process died; run `gw3cx sync` (the next nightly run also covers it)";
  return "`gw3cx status` shows its errors; fix the cause, then `gw3cx sync`";
}
