import type { SyncScope, WorkspaceUser } from "./user-sync-types.js";

const lower = (email: string) => email.trim().toLowerCase();

/** Whether an org unit path is the selected one or below it ("/Sales" covers "/Sales/EMEA"). */
function isWithinOrgUnit(path: string, selected: string): boolean {
  const normalized = selected.length > 1 ? selected.replace(/\/+$/, "") : selected;
  return normalized === "/" || path === normalized || path.startsWith(`${normalized}/`);
}

/** 3CX's "Sync users" selection: which Workspace users gw3cx manages. */
export function isInSyncScope(user: WorkspaceUser, scope: SyncScope): boolean {
  const email = lower(user.email);
  switch (scope.type) {
    case "all":
      return true;
    case "allExceptSelected":
      return !scope.emails.some((e) => lower(e) === email);
    case "selected":
      return scope.emails.some((e) => lower(e) === email);
    case "selectedGroups":
      return scope.memberEmails.has(email);
    case "selectedOrgUnits":
      return scope.orgUnitPaths.some((path) => isWithinOrgUnit(user.orgUnitPath, path));
  }
}
