import type { StateStore } from "../../ports/state-store.js";
import { type ContactRun, ContactRunStore } from "../contacts/contact-run-store.js";
import { type LiveView, withLiveness } from "../user-sync/run-liveness.js";
import type { StatusSection } from "./status-section.js";

/** "3 created, 1 updated; 120 unchanged; 2 not written (limit)": what a contacts run did or (planned) would do. */
export function describeContactCounts(run: ContactRun | LiveView<ContactRun>): string {
  const c = run.contacts;
  const verb = (past: string) => (run.status === "planned" ? `to be ${past}` : past);
  const writes = (
    [
      ["created", c.created],
      ["updated", c.updated],
      ["deleted", c.deleted],
      ["adopted", c.adopted],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([word, n]) => `${n} ${verb(word)}`);
  return [
    writes.length > 0 ? writes.join(", ") : "no changes",
    c.unchanged > 0 ? `${c.unchanged} unchanged` : "",
    c.overLimit > 0 ? `${c.overLimit} over the PBX limit` : "",
    c.overflow > 0 ? `${c.overflow} values that do not fit` : "",
    c.unfit > 0 ? `${c.unfit} unfit for 3CX` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * The last personal-contacts run as a status section (CLI and page); none before the first run. A
 * run whose heartbeat lapsed (its process or every worker died) shows as abandoned, not running.
 */
export async function contactsStatusSection(
  state: StateStore,
  now: Date,
): Promise<StatusSection | undefined> {
  const [stored] = await new ContactRunStore(state).latest(1);
  if (!stored) return undefined;
  const run = withLiveness(stored, now);
  const failures = [
    ...(run.error ? [run.error] : []),
    ...run.failures.map((f) => ({ ...f, code: `${f.email} ${f.code}` })),
  ]
    .map((f) => `${f.code}: ${f.message}`)
    .join("\n");
  return {
    id: "contacts",
    title: "Last personal contacts run",
    columns: ["run", "status", "started", "users", "contacts", "failures"],
    rows: [
      [
        run.runId,
        run.status === "abandoned"
          ? `abandoned\n(no sign of life since ${run.heartbeatAt ?? run.startedAt})`
          : run.status,
        run.startedAt,
        `${run.users.done} done, ${run.users.noLabel} no label, ${run.users.failed} failed of ${run.usersExpected}`,
        describeContactCounts(run),
        failures,
      ],
    ],
  };
}
