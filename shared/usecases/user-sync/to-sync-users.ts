import type { PbxUser, WorkspaceUser } from "../../domain/user-sync/user-sync-types.js";
import type { DirectoryUser } from "../../ports/directory.js";
import type { ThreeCxUserSummary } from "../../ports/threecx.js";

/** 3CX maps the Workspace "Work" phone to Mobile; the primary work number wins if there are several. */
function workPhone(user: DirectoryUser): string | undefined {
  const work = user.phones.filter((p) => p.type === "work");
  return (work.find((p) => p.primary) ?? work[0])?.value;
}

export function toWorkspaceUser(user: DirectoryUser): WorkspaceUser {
  return {
    googleId: user.id,
    email: user.primaryEmail,
    givenName: user.givenName,
    familyName: user.familyName,
    suspended: user.suspended,
    archived: user.archived,
    deleted: user.deleted,
    orgUnitPath: user.orgUnitPath,
    workPhone: workPhone(user),
    photoEtag: user.thumbnailPhotoEtag,
  };
}

export function toPbxUser(user: ThreeCxUserSummary): PbxUser {
  return {
    id: user.Id,
    number: user.Number,
    FirstName: user.FirstName ?? "",
    LastName: user.LastName ?? "",
    EmailAddress: user.EmailAddress ?? "",
    Mobile: user.Mobile ?? "",
    enabled: user.Enabled,
    googleSignInEnabled: user.GoogleSignInEnabled === true,
  };
}
