import type { ContactOverflowReport } from "../../domain/contacts/labelled-contacts.js";
import type { ContactOverflow } from "../../domain/contacts/map-contact.js";

const WORDS: Readonly<Record<ContactOverflow["kind"], string>> = {
  EXTRA_PHONE: "number beyond its kind's 3CX slots",
  EXTRA_EMAIL: "email beyond the first (3CX holds one)",
  PHOTO: "photo (XAPI contacts have no photo field)",
  TOO_LONG: "value longer than 3CX accepts",
};

/** "5 values not written: 2 photo (...), 3 number beyond ...; e.g. Ada Lovelace, Bob". */
export function describeOverflow(reports: readonly ContactOverflowReport[]): string {
  const byKind = new Map<ContactOverflow["kind"], number>();
  for (const report of reports)
    for (const item of report.overflow) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + 1);
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  const kinds = [...byKind.entries()].map(([kind, n]) => `${n} ${WORDS[kind]}`).join(", ");
  const who = reports
    .slice(0, 5)
    .map((r) => r.name)
    .join(", ");
  return `${total} value(s) not written to 3CX: ${kinds}; e.g. ${who}`;
}
