import { describe, expect, it } from "vitest";
import { SimError } from "../../../shared/simulators/threecx/odata/odata-error.js";
import { PbxState } from "../../../shared/simulators/threecx/state.js";

/** The refusal a rule answers with: its WARNINGS code and the property it names. */
function refusal(action: () => unknown): { code?: string; target?: string } | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof SimError) return error.detail;
    throw error;
  }
  return undefined;
}

describe("simulated PBX: lengths of user values", () => {
  it("refuses a name longer than 50 characters, on create and on update, naming the field", () => {
    const pbx = new PbxState();
    expect(refusal(() => pbx.createUser({ Number: "100", FirstName: "x".repeat(51) }))).toEqual({
      code: "WARNINGS.LENGTH_NOT_MORE_50_CHARS",
      target: "FirstName",
    });
    expect(pbx.isNumberTaken("100")).toBe(false);
    const user = pbx.createUser({ Number: "100", LastName: "y".repeat(50) });
    expect(refusal(() => pbx.updateUser(user.Id as number, { LastName: "y".repeat(51) }))).toEqual({
      code: "WARNINGS.LENGTH_NOT_MORE_50_CHARS",
      target: "LastName",
    });
    expect(
      refusal(() => pbx.createUser({ Number: "101", EmailAddress: `${"e".repeat(250)}@example.com` })),
    ).toEqual({ code: "WARNINGS.LENGTH_NOT_MORE_255_CHARS", target: "EmailAddress" });
  });

  it("counts UTF-16 units as .NET does: 50 CJK characters are a valid name, 26 emoji are not", () => {
    const pbx = new PbxState();
    expect(refusal(() => pbx.createUser({ Number: "100", FirstName: "李".repeat(50) }))).toBeUndefined();
    expect(refusal(() => pbx.createUser({ Number: "101", FirstName: "🙂".repeat(25) }))).toBeUndefined();
    expect(refusal(() => pbx.createUser({ Number: "102", FirstName: "🙂".repeat(26) }))).toEqual({
      code: "WARNINGS.LENGTH_NOT_MORE_50_CHARS",
      target: "FirstName",
    });
  });
});
