/**
 * The OAuth scopes gw3cx asks for, per operation and read-only wherever Google allows, so the
 * domain-wide delegation entry in the Admin console can be as narrow as the features switched on.
 * `gw3cx doctor` can list exactly these.
 */
export const SCOPES = {
  directoryUsers: ["https://www.googleapis.com/auth/admin.directory.user.readonly"],
  directoryGroupMembers: ["https://www.googleapis.com/auth/admin.directory.group.member.readonly"],
  calendarEvents: ["https://www.googleapis.com/auth/calendar.events.readonly"],
  contacts: ["https://www.googleapis.com/auth/contacts.readonly"],
  gmailSend: ["https://www.googleapis.com/auth/gmail.send"],
} as const satisfies Record<string, readonly string[]>;

export const ALL_DELEGATED_SCOPES: readonly string[] = [...new Set(Object.values(SCOPES).flat())];
