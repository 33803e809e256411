import { describe, expect, it } from "vitest";
import { findTooLongFields } from "../../../shared/domain/user-sync/pbx-field-limits.js";
import { isSamePhoneNumber, normalizePhoneNumber } from "../../../shared/domain/user-sync/phone-number.js";

describe("normalizePhoneNumber", () => {
  it.each([
    ["+49 30 1234567", undefined, "+49301234567"],
    ["030 1234567", "DE", "+49301234567"],
    ["0049 30 1234567", "DE", "+49301234567"],
    ["(415) 555-2671", "US", "+14155552671"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["+81 3-1234-5678", undefined, "+81312345678"],
    ["  +49 1512 3456789 ", undefined, "+4915123456789"],
  ])("%s (region %s) -> %s", (raw, region, expected) => {
    expect(normalizePhoneNumber(raw, region)).toBe(expected);
  });

  it("keeps what it cannot read as a number, trimmed, instead of dropping it", () => {
    expect(normalizePhoneNumber(" 12345 ")).toBe("12345");
    expect(normalizePhoneNumber("030 1234567")).toBe("030 1234567");
    expect(normalizePhoneNumber("reception")).toBe("reception");
    expect(normalizePhoneNumber(undefined)).toBe("");
  });

  it("compares numbers, not their formatting", () => {
    expect(isSamePhoneNumber("+49 (30) 123-4567", "+49301234567")).toBe(true);
    expect(isSamePhoneNumber("030 1234567", "+49 30 1234567", "DE")).toBe(true);
    expect(isSamePhoneNumber("+49301234567", "+49301234568")).toBe(false);
  });
});

describe("findTooLongFields", () => {
  it("counts UTF-16 units as the PBX (.NET) does: 50 CJK characters fit a 50-character name, 26 emoji do not", () => {
    expect(findTooLongFields({ FirstName: "李".repeat(50), LastName: "🙂".repeat(25) })).toEqual([]);
    expect(findTooLongFields({ LastName: "🙂".repeat(26) })).toEqual([
      { field: "LastName", length: 52, limit: 50 },
    ]);
  });

  it("reports each value over its limit with its length, and nothing for values within it", () => {
    expect(
      findTooLongFields({
        FirstName: "a".repeat(51),
        LastName: "b".repeat(51),
        EmailAddress: `${"e".repeat(251)}@x.io`,
        Mobile: "+49301234567",
      }),
    ).toEqual([
      { field: "FirstName", length: 51, limit: 50 },
      { field: "LastName", length: 51, limit: 50 },
      { field: "EmailAddress", length: 256, limit: 255 },
    ]);
    expect(findTooLongFields({ EmailAddress: `${"e".repeat(250)}@x.io` })).toEqual([]);
  });
});
