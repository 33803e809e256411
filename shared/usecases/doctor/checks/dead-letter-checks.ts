import { fail, pass, warn } from "../../../domain/doctor/check-result.js";
import { TOPICS } from "../../../messaging/topics.js";
import type { DoctorCheck } from "../doctor-ports.js";

const NAME = "dead-letters";

/** Messages no worker could handle wait on each topic's dead-letter path until someone looks. */
export const deadLetterChecks: DoctorCheck = {
  names: [NAME],
  async run(ports) {
    let summaries: Awaited<ReturnType<typeof ports.deadLetters.summarize>>;
    try {
      summaries = await ports.deadLetters.summarize(Object.values(TOPICS), 1);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [
        warn(
          NAME,
          `the dead letters could not be read: ${message}`,
          "check access to the dead-letter hold subscriptions",
        ),
      ];
    }
    const waiting = summaries.filter((s) => s.count > 0);
    if (waiting.length === 0) return [pass(NAME, "no dead letters")];
    return [
      fail(
        NAME,
        waiting
          .map(
            (s) =>
              `${s.atLeast ? "at least " : ""}${s.count} on ${s.topic}${s.newest[0] ? ` (newest: ${s.newest[0].reason})` : ""}`,
          )
          .join("; "),
        "`gw3cx status` lists them with their reasons; fix the cause and run `gw3cx sync` (a dead letter is never retried; " +
          "the cloud's hold subscriptions keep them 7 days)",
      ),
    ];
  },
};
