import { describe, expect, it } from "vitest";
import { ExtensionAllocator } from "../../../shared/domain/user-sync/extension-allocator.js";

describe("ExtensionAllocator", () => {
  it("gives out each free number once, from the start, skipping every number in use", () => {
    const numbers = new ExtensionAllocator("100", ["100", "102"]);
    expect([numbers.allocate(), numbers.allocate(), numbers.allocate()]).toEqual(["101", "103", "104"]);
  });

  it("keeps the width of the start, leading zeros included", () => {
    const numbers = new ExtensionAllocator("0098", ["0099"]);
    expect([numbers.allocate(), numbers.allocate()]).toEqual(["0098", "0100"]);
  });

  it("after a refusal, gives the next number no other create of the run was given, and never the refused one", () => {
    const numbers = new ExtensionAllocator("100", []);
    const planned = [numbers.allocate(), numbers.allocate(), numbers.allocate()];
    expect(planned).toEqual(["100", "101", "102"]);
    // 101 was taken by someone else before its create went out: its user moves past every planned number.
    expect(numbers.allocateAfterRefusal("101")).toBe("103");
    expect(numbers.allocateAfterRefusal("103")).toBe("104");
    expect(numbers.allocate()).toBe("105");
  });

  it("skips a refused number that it had not reached yet", () => {
    const numbers = new ExtensionAllocator("200", []);
    expect(numbers.allocateAfterRefusal("200")).toBe("201");
    const other = new ExtensionAllocator("200", []);
    other.allocateAfterRefusal("201");
    expect([other.allocate(), other.allocate()]).toEqual(["202", "203"]);
  });

  it("refuses a start that is not digits only, naming it", () => {
    expect(() => new ExtensionAllocator("ext-1", [])).toThrow('"ext-1"');
  });
});
