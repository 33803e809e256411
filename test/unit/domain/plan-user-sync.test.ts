import { describe, expect, it } from "vitest";
import {
  planUserSync,
  type UserSyncInput,
  type UserSyncSettings,
} from "../../../shared/domain/user-sync/plan-user-sync.js";
import { evaluateSafeguard } from "../../../shared/domain/user-sync/safeguard.js";
import type { PbxUser, UserLink, WorkspaceUser } from "../../../shared/domain/user-sync/user-sync-types.js";

const google = (id: string, over: Partial<WorkspaceUser> = {}): WorkspaceUser => ({
  googleId: id,
  email: `${id}@example.com`,
  givenName: `Given${id}`,
  familyName: `Family${id}`,
  suspended: false,
  archived: false,
  deleted: false,
  orgUnitPath: "/",
  ...over,
});

const pbx = (id: number, number: string, over: Partial<PbxUser> = {}): PbxUser => ({
  id,
  number,
  FirstName: "",
  LastName: "",
  EmailAddress: "",
  Mobile: "",
  enabled: true,
  ...over,
});

/** A 3CX user exactly in sync with google(gid). */
const synced = (id: number, number: string, gid: string, over: Partial<PbxUser> = {}): PbxUser =>
  pbx(id, number, {
    FirstName: `Given${gid}`,
    LastName: `Family${gid}`,
    EmailAddress: `${gid}@example.com`,
    ...over,
  });

const link = (
  googleId: string,
  threecxId: number,
  number: string,
  over: Partial<UserLink> = {},
): UserLink => ({
  googleId,
  threecxId,
  number,
  origin: "created",
  disabledByGw3cx: false,
  ...over,
});

const settings: UserSyncSettings = { scope: { type: "all" }, startingExtension: "100", syncPhoto: false };

function plan(input: Partial<UserSyncInput>, s: Partial<UserSyncSettings> = {}) {
  return planUserSync(
    { googleUsers: [], pbxUsers: [], links: [], takenNumbers: [], completeListing: true, ...input },
    { ...settings, ...s },
  );
}

describe("planUserSync", () => {
  it("creates active users with the first free extensions at or above startingExtension, skipping any DN in use", () => {
    const p = plan({
      googleUsers: [
        google("a", { workPhone: "+49 30 1234567" }),
        google("b"),
        google("c", { suspended: true }),
      ],
      takenNumbers: ["100", "101", "103"],
    });
    expect(p.creates.map((c) => [c.googleId, c.number])).toEqual([
      ["a", "102"],
      ["b", "104"],
    ]);
    expect(p.creates[0]?.fields).toEqual({
      FirstName: "Givena",
      LastName: "Familya",
      EmailAddress: "a@example.com",
      Mobile: "+49301234567",
    });
    expect(p.skips).toEqual([{ googleId: "c", email: "c@example.com", reason: "NOT_ACTIVE" }]);
  });

  it("without startingExtension, numbers every create of the run from the PBX's first available, skipping any DN in use", () => {
    const p = plan(
      {
        googleUsers: [google("a"), google("b"), google("c")],
        takenNumbers: ["100", "101", "103"],
        firstAvailableNumber: "101",
      },
      { startingExtension: undefined },
    );
    expect(p.creates.map((c) => c.number)).toEqual(["102", "104", "105"]);
  });

  it("plans creates with no number only when neither startingExtension nor the PBX's first available is known", () => {
    const p = plan({ googleUsers: [google("a")] }, { startingExtension: undefined });
    expect(p.creates[0]?.number).toBeUndefined();
  });

  it("adopts an existing 3CX user by email, case-insensitively, instead of creating a duplicate", () => {
    const p = plan({
      googleUsers: [google("a", { email: "Ada.Lovelace@Example.com" })],
      pbxUsers: [
        pbx(7, "200", { EmailAddress: "ada.lovelace@example.com", FirstName: "Ada", LastName: "L" }),
      ],
    });
    expect(p.creates).toEqual([]);
    expect(p.adoptions).toEqual([
      expect.objectContaining({
        googleId: "a",
        threecxId: 7,
        number: "200",
        reason: "ADOPTED_BY_EMAIL",
        changes: { FirstName: "Givena", LastName: "Familya" },
      }),
    ]);
  });

  it("updates only the fields that changed, and treats the same phone number in another format as unchanged", () => {
    const p = plan({
      googleUsers: [google("a", { givenName: "Renamed", workPhone: "+44 20 7946 0958" })],
      pbxUsers: [synced(1, "100", "a", { Mobile: "+442079460958" })],
      links: [link("a", 1, "100")],
    });
    expect(p.updates).toEqual([
      expect.objectContaining({ threecxId: 1, changes: { FirstName: "Renamed" }, reason: "FIELDS_CHANGED" }),
    ]);
  });

  it("plans nothing when both sides agree (a second delivery of the same change is a no-op)", () => {
    const p = plan({
      googleUsers: [google("a")],
      pbxUsers: [synced(1, "100", "a")],
      links: [link("a", 1, "100")],
    });
    expect([p.creates, p.adoptions, p.updates, p.disables, p.enables].flat()).toEqual([]);
  });

  it("keeps every Unicode character of a name", () => {
    const p = plan({ googleUsers: [google("a", { givenName: "Zoë-李", familyName: "Ñúñez 🙂" })] });
    expect(p.creates[0]?.fields).toMatchObject({ FirstName: "Zoë-李", LastName: "Ñúñez 🙂" });
  });

  it("creates a user with a value longer than 3CX accepts left out, never cut short, and reports it", () => {
    const long = "x".repeat(51);
    const created = plan({ googleUsers: [google("a", { familyName: long })] });
    expect(created.creates).toHaveLength(1);
    expect(created.creates[0]?.fields).toEqual({
      FirstName: "Givena",
      EmailAddress: "a@example.com",
      Mobile: "",
    });
    expect(created.skips).toEqual([]);
    expect(created.problems).toEqual([
      expect.objectContaining({ googleId: "a", field: "LastName", length: 51, limit: 50 }),
    ]);

    const updated = plan({
      googleUsers: [google("a", { givenName: "New", familyName: long })],
      pbxUsers: [synced(1, "100", "a")],
      links: [link("a", 1, "100")],
    });
    expect(updated.updates[0]?.changes).toEqual({ FirstName: "New" });
    expect(updated.problems).toHaveLength(1);
  });

  it("disables suspended, archived and deleted users, never deleting them", () => {
    const p = plan({
      googleUsers: [
        google("s", { suspended: true }),
        google("r", { archived: true }),
        google("d", { deleted: true }),
      ],
      pbxUsers: [synced(1, "100", "s"), synced(2, "101", "r"), synced(3, "102", "d")],
      links: [link("s", 1, "100"), link("r", 2, "101"), link("d", 3, "102")],
    });
    expect(p.disables.map((d) => [d.threecxId, d.reason])).toEqual([
      [1, "SUSPENDED"],
      [2, "ARCHIVED"],
      [3, "DELETED"],
    ]);
  });

  it("disables a linked user missing from a complete listing, but never from an incomplete or empty one", () => {
    const base = {
      pbxUsers: [synced(1, "100", "a"), synced(2, "101", "gone")],
      links: [link("a", 1, "100"), link("gone", 2, "101")],
    };
    expect(plan({ ...base, googleUsers: [google("a")] }).disables).toEqual([
      expect.objectContaining({ googleId: "gone", threecxId: 2, reason: "DELETED" }),
    ]);
    expect(plan({ ...base, googleUsers: [google("a")], completeListing: false }).disables).toEqual([]);
    expect(plan({ ...base, googleUsers: [] }).disables).toEqual([]);
  });

  it("re-enables on unsuspend only the users gw3cx itself disabled", () => {
    const p = plan({
      googleUsers: [google("a"), google("b")],
      pbxUsers: [synced(1, "100", "a", { enabled: false }), synced(2, "101", "b", { enabled: false })],
      links: [link("a", 1, "100", { disabledByGw3cx: true }), link("b", 2, "101")],
    });
    expect(p.enables.map((e) => e.threecxId)).toEqual([1]);
    expect(p.skips).toEqual([expect.objectContaining({ threecxId: 2, reason: "DISABLED_BY_ADMIN" })]);
  });

  it("never touches a 3CX user gw3cx did not create or adopt", () => {
    const p = plan({
      googleUsers: [google("a")],
      pbxUsers: [pbx(9, "100", { EmailAddress: "someone.else@example.com" })],
      takenNumbers: ["100"],
    });
    expect(p.creates.map((c) => c.number)).toEqual(["101"]);
    expect([p.adoptions, p.updates, p.disables, p.enables].flat()).toEqual([]);
  });

  it("applies the sync selection: a user who leaves the scope is disabled, one outside it is never created", () => {
    const input = {
      googleUsers: [
        google("in", { orgUnitPath: "/Sales/EMEA" }),
        google("out", { orgUnitPath: "/Engineering" }),
        google("new", { orgUnitPath: "/Support" }),
      ],
      pbxUsers: [synced(1, "100", "in"), synced(2, "101", "out")],
      links: [link("in", 1, "100"), link("out", 2, "101")],
    };
    const p = plan(input, { scope: { type: "selectedOrgUnits", orgUnitPaths: ["/Sales"] } });
    expect(p.disables).toEqual([expect.objectContaining({ googleId: "out", reason: "LEFT_SCOPE" })]);
    expect(p.skips).toEqual([expect.objectContaining({ googleId: "new", reason: "OUT_OF_SCOPE" })]);

    expect(
      plan(input, { scope: { type: "allExceptSelected", emails: ["OUT@example.com"] } }).disables,
    ).toHaveLength(1);
    expect(plan(input, { scope: { type: "selected", emails: ["in@example.com"] } }).creates).toEqual([]);
    const groups = plan(input, {
      scope: { type: "selectedGroups", memberEmails: new Set(["in@example.com", "new@example.com"]) },
    });
    expect(groups.creates.map((c) => c.googleId)).toEqual(["new"]);
  });

  it("writes the photo again only when syncPhoto is on and its etag changed", () => {
    const input = {
      googleUsers: [google("a", { photoEtag: "e2" })],
      pbxUsers: [synced(1, "100", "a")],
      links: [link("a", 1, "100", { photoEtag: "e1" })],
    };
    expect(plan(input).updates).toEqual([]);
    expect(plan(input, { syncPhoto: true }).updates).toEqual([
      expect.objectContaining({ photoEtag: "e2", reason: "PHOTO_CHANGED", changes: {} }),
    ]);
  });
});

describe("evaluateSafeguard", () => {
  const planWith = (disables: number, managedCount: number) => ({
    ...plan({}),
    managedCount,
    disables: Array.from({ length: disables }, (_, i) => ({
      googleId: `${i}`,
      email: "",
      threecxId: i,
      number: "",
      reason: "SUSPENDED" as const,
    })),
  });

  it("allows up to max(5, 10%) disables and holds a run with more", () => {
    const s = { maxDisableCount: 5, maxDisablePercent: 10 };
    expect(evaluateSafeguard(planWith(5, 20), s)).toEqual({ held: false, disables: 5, limit: 5 });
    expect(evaluateSafeguard(planWith(6, 20), s).held).toBe(true);
    expect(evaluateSafeguard(planWith(100, 1000), s)).toEqual({ held: false, disables: 100, limit: 100 });
    expect(evaluateSafeguard(planWith(101, 1000), s).held).toBe(true);
  });
});

describe("Google sign-in (sso)", () => {
  it("switches sign-in on for created, adopted and linked users, and only for them", () => {
    const result = plan(
      {
        googleUsers: [google("new"), google("adopt"), google("linked"), google("done")],
        pbxUsers: [
          pbx(1, "201", {
            EmailAddress: "adopt@example.com",
            FirstName: "Givenadopt",
            LastName: "Familyadopt",
          }),
          synced(2, "202", "linked"),
          synced(3, "203", "done", { googleSignInEnabled: true }),
          pbx(4, "204", { EmailAddress: "someone-else@example.com" }),
        ],
        links: [link("linked", 2, "202"), link("done", 3, "203")],
      },
      { sso: true },
    );
    expect(result.creates.map((c) => c.fields.GoogleSignInEnabled)).toEqual([true]);
    expect(result.adoptions.map((a) => [a.threecxId, a.changes])).toEqual([
      [1, { GoogleSignInEnabled: true }],
    ]);
    expect(result.updates.map((u) => [u.threecxId, u.changes, u.reason])).toEqual([
      [2, { GoogleSignInEnabled: true }, "SIGN_IN_ENABLED"],
    ]);
  });

  it("with sso off leaves the flag alone, whatever the PBX shows", () => {
    const result = plan({
      googleUsers: [google("new"), google("linked")],
      pbxUsers: [synced(2, "202", "linked", { googleSignInEnabled: true })],
      links: [link("linked", 2, "202")],
    });
    expect(result.creates[0]?.fields).not.toHaveProperty("GoogleSignInEnabled");
    expect(result.updates).toEqual([]);
  });

  it("a field change and sign-in go in one update, reasoned by the field", () => {
    const result = plan(
      {
        googleUsers: [google("linked", { givenName: "Renamed" })],
        pbxUsers: [synced(2, "202", "linked")],
        links: [link("linked", 2, "202")],
      },
      { sso: true },
    );
    expect(result.updates.map((u) => [u.changes, u.reason])).toEqual([
      [{ FirstName: "Renamed", GoogleSignInEnabled: true }, "FIELDS_CHANGED"],
    ]);
  });
});
