import type { ContactRun } from "../../usecases/contacts/contact-run-store.js";
import type { UserContactsResult } from "../../usecases/contacts/user-contacts-result.js";
import { renderSection } from "./table.js";

/** What to say when contact sync is switched off. */
export const CONTACTS_OFF_TEXT =
  "Personal contacts are off (syncPersonalContacts: false, $GW3CX_SYNC_PERSONAL_CONTACTS): nothing was read or written.";

/** "3 created, 1 updated; 120 unchanged; 2 not written (limit)": what a contacts run did or (planned) would do. */
export function describeContactCounts(run: ContactRun): string {
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

/** `gw3cx contacts plan|sync`, and the contacts part of `gw3cx sync`. */
export function renderContactRun(run: ContactRun, results: readonly UserContactsResult[] = []): string {
  if (run.status === "off") return CONTACTS_OFF_TEXT;
  const head = `Personal contacts ${run.status === "planned" ? "plan" : "run"} ${run.runId}: ${run.status}`;
  if (run.error) return `${head}\n${run.error.code}: ${run.error.message}`;
  const lines = [
    head,
    `Users: ${run.users.done} synced, ${run.users.noLabel} without the label, ${run.users.failed} failed (of ${run.usersExpected})`,
    `Contacts: ${describeContactCounts(run)}`,
  ];
  const perUser = results.filter(
    (r) => r.counts.created + r.counts.updated + r.counts.deleted + r.counts.adopted + r.counts.overLimit > 0,
  );
  if (perUser.length > 0)
    lines.push(
      renderSection(
        "Per user",
        ["user", "created", "updated", "deleted", "unchanged", "over limit", "read"],
        perUser.map((r) => [
          r.email,
          r.counts.created,
          r.counts.updated,
          r.counts.deleted,
          r.counts.unchanged,
          r.counts.overLimit,
          r.fullRead ? "full" : "changes",
        ]),
      ),
    );
  if (run.failures.length > 0)
    lines.push(
      renderSection(
        "Failed",
        ["user", "code", "message"],
        run.failures.map((f) => [f.email, f.code, f.message]),
      ),
    );
  if (run.notes.length > 0)
    lines.push(
      renderSection(
        "Notes",
        ["user", "code", "message"],
        run.notes.map((n) => [n.email, n.code, n.message]),
      ),
    );
  return lines.join("\n\n");
}
