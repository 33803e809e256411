import type { ThreeCx, ThreeCxUser } from "../../ports/threecx.js";

/**
 * The user a create may have made although its answer never came: the extension number is unique,
 * so the user on that number with the email sent is the one created. An email lookup alone is not
 * enough, since a PBX may hold several users with one email and one of them could be someone else.
 * A create sent without an email (one too long to write) made a user with none.
 */
export async function findCreatedUser(
  threecx: Pick<ThreeCx, "getUserByNumber">,
  number: string,
  email: string | undefined,
): Promise<ThreeCxUser | undefined> {
  const user = await threecx.getUserByNumber(number);
  const sameEmail = (user?.EmailAddress ?? "").trim().toLowerCase() === (email ?? "").trim().toLowerCase();
  return user && sameEmail ? user : undefined;
}
