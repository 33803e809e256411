import type { ContactRun } from "../../usecases/contacts/contact-run-store.js";
import type { UserContactsResult } from "../../usecases/contacts/user-contacts-result.js";
import { describeContactCounts } from "../../usecases/status/contacts-status-section.js";
import { renderSection } from "./table.js";

export { describeContactCounts };

/** What to say when contact sync is switched off. */
export const CONTACTS_OFF_TEXT =
  "Personal contacts are off (syncPersonalContacts: false, $GW3CX_SYNC_PERSONAL_CONTACTS): nothing was read or written.";

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
