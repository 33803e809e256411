import {
  SYNC_REASON_TEXT,
  type SyncReason,
  type UserSyncPlan,
} from "../../domain/user-sync/user-sync-plan.js";
import type { PbxUserFields, PbxUserWrites } from "../../domain/user-sync/user-sync-types.js";
import { renderSection } from "./table.js";

/** The 3CX user as it is now, by 3CX id, so changes read "old -> new". */
export type CurrentPbxFields = ReadonlyMap<number, Partial<PbxUserFields>>;

const reasonText = (reason: string): string => SYNC_REASON_TEXT[reason as SyncReason] ?? reason;

function describeChanges(
  changes: PbxUserWrites,
  current: Partial<PbxUserFields> | undefined,
  photo: boolean,
): string {
  const { GoogleSignInEnabled, ...fields } = changes;
  const lines = (Object.entries(fields) as [keyof PbxUserFields, string][]).map(([field, value]) =>
    current ? `${field}: ${show(current[field])} -> ${show(value)}` : `${field}: ${show(value)}`,
  );
  if (GoogleSignInEnabled) lines.push("Google sign-in: on");
  if (photo) lines.push("photo");
  return lines.join("\n") || "(none)";
}

/** A value too long for 3CX: the user is created without it (see Problems). */
const LEFT_OUT = "(too long: left out)";

const show = (value: string | undefined): string => (value ? JSON.stringify(value) : '""');

/** Every section of a plan as tables, in the order it would be applied. */
export function renderPlan(plan: UserSyncPlan, current: CurrentPbxFields = new Map()): string {
  const sections = [
    renderSection(
      "Create",
      ["email", "extension", "first name", "last name", "mobile"],
      plan.creates.map((c) => [
        c.email,
        c.number ?? "(next free)",
        c.fields.FirstName ?? LEFT_OUT,
        c.fields.LastName ?? LEFT_OUT,
        c.fields.Mobile ?? LEFT_OUT,
      ]),
    ),
    renderSection(
      "Adopt (link an existing 3CX user by email)",
      ["email", "extension", "changes"],
      plan.adoptions.map((a) => [
        a.email,
        a.number,
        describeChanges(a.changes, current.get(a.threecxId), a.photoEtag !== undefined),
      ]),
    ),
    renderSection(
      "Update",
      ["email", "extension", "changes", "why"],
      plan.updates.map((u) => [
        u.email,
        u.number,
        describeChanges(u.changes, current.get(u.threecxId), u.photoEtag !== undefined),
        reasonText(u.reason),
      ]),
    ),
    renderSection(
      "Disable",
      ["email", "extension", "why"],
      plan.disables.map((d) => [d.email, d.number, reasonText(d.reason)]),
    ),
    renderSection(
      "Enable",
      ["email", "extension", "why"],
      plan.enables.map((e) => [e.email, e.number, reasonText(e.reason)]),
    ),
    renderSection(
      "Leave alone",
      ["user", "why"],
      plan.skips.map((s) => [s.email ?? s.googleId ?? `3CX user ${s.threecxId}`, reasonText(s.reason)]),
    ),
    renderSection(
      "Problems (values left out, never cut short; the rest of the user's changes go ahead)",
      ["email", "field", "length", "3CX limit"],
      plan.problems.map((p) => [p.email, p.field, p.length, p.limit]),
    ),
  ];
  return sections.join("\n\n");
}
