import { describe, expect, it } from "vitest";
import type { ThreeCxUser } from "../../../shared/ports/threecx.js";
import { findCreatedUser } from "../../../shared/usecases/user-sync/find-created-user.js";

const user = (number: string, EmailAddress: string): ThreeCxUser => ({
  Id: number.length,
  Number: number,
  FirstName: "Ada",
  LastName: "Lovelace",
  EmailAddress,
  Mobile: null,
  Enabled: true,
  CurrentProfileName: "Available",
  GoogleSignInEnabled: false,
  PrimaryGroupId: null,
  ContactImage: null,
});

const pbxWith = (...users: ThreeCxUser[]) => ({
  getUserByNumber: async (number: string) => users.find((u) => u.Number === number),
});

describe("findCreatedUser (a create whose answer was lost)", () => {
  it("is the user on the number sent, when it carries the email sent (any case)", async () => {
    const created = user("105", "ada@example.com");
    expect(await findCreatedUser(pbxWith(created), "105", "Ada@Example.com")).toBe(created);
  });

  it("is nobody when the number is free: the create was not applied", async () => {
    expect(await findCreatedUser(pbxWith(user("104", "ada@example.com")), "105", "ada@example.com")).toBe(
      undefined,
    );
  });

  it("is nobody when someone else holds the number, even if another user has the same email", async () => {
    const pbx = pbxWith(user("104", "ada@example.com"), user("105", "someone@example.com"));
    expect(await findCreatedUser(pbx, "105", "ada@example.com")).toBe(undefined);
  });
});
