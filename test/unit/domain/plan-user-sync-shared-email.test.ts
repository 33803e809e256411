/** A PBX may hold several users with one email: the planner never picks one of them at random. */
import { describe, expect, it } from "vitest";
import { planUserSync } from "../../../shared/domain/user-sync/plan-user-sync.js";
import type { PbxUser, UserLink, WorkspaceUser } from "../../../shared/domain/user-sync/user-sync-types.js";

const ada: WorkspaceUser = {
  googleId: "g-ada",
  email: "Ada@Example.com",
  givenName: "Ada",
  familyName: "Lovelace",
  suspended: false,
  archived: false,
  deleted: false,
  orgUnitPath: "/",
};

const pbx = (id: number, number: string, email: string): PbxUser => ({
  id,
  number,
  FirstName: "Ada",
  LastName: "Lovelace",
  EmailAddress: email,
  Mobile: "",
  enabled: true,
});

const plan = (pbxUsers: PbxUser[], links: UserLink[] = []) =>
  planUserSync(
    { googleUsers: [ada], pbxUsers, links, takenNumbers: [], completeListing: false },
    { scope: { type: "all" }, startingExtension: "100", syncPhoto: false },
  );

describe("an email several 3CX users share", () => {
  it("is skipped with EMAIL_SHARED_BY_PBX_USERS naming every holder: no adoption, no create", () => {
    const p = plan([
      pbx(7, "200", "ada@example.com"),
      pbx(9, "201", "ADA@example.com"),
      pbx(11, "202", "x@y.z"),
    ]);
    expect(p.adoptions).toEqual([]);
    expect(p.creates).toEqual([]);
    expect(p.skips).toEqual([
      {
        googleId: "g-ada",
        email: "Ada@Example.com",
        threecxIds: [7, 9],
        reason: "EMAIL_SHARED_BY_PBX_USERS",
      },
    ]);
  });

  it("is adopted when only one of its holders is unlinked (the other belongs to someone else)", () => {
    const other: UserLink = {
      googleId: "g-other",
      threecxId: 7,
      number: "200",
      origin: "created",
      disabledByGw3cx: false,
    };
    const p = plan([pbx(7, "200", "ada@example.com"), pbx(9, "201", "ada@example.com")], [other]);
    expect(p.skips).toEqual([]);
    expect(p.adoptions).toEqual([
      expect.objectContaining({ googleId: "g-ada", threecxId: 9, number: "201" }),
    ]);
  });

  it("the order the PBX lists its users in does not change the outcome", () => {
    const users = [pbx(7, "200", "ada@example.com"), pbx(9, "201", "ada@example.com")];
    expect(plan([...users].reverse()).skips[0]?.reason).toBe("EMAIL_SHARED_BY_PBX_USERS");
    expect(plan(users).adoptions).toEqual([]);
  });
});
