import { describe, expect, it } from "vitest";
import { FaultInjector } from "../../../shared/simulators/threecx/faults.js";
import { compileFilter, FilterSyntaxError } from "../../../shared/simulators/threecx/odata/filter.js";
import { jsonPointerToTarget } from "../../../shared/simulators/threecx/spec/spec-validator.js";

const properties: Record<string, string> = {
  Number: "Edm.String",
  EmailAddress: "Edm.String",
  Enabled: "Edm.Boolean",
  Id: "Edm.Int32",
  FirstName: "Edm.String",
  Type: "Pbx.PeerType",
};
const enums: Record<string, string[]> = { "Pbx.PeerType": ["Extension", "Queue", "RingGroup"] };
const filter = (text: string) =>
  compileFilter(
    text,
    (name) => properties[name],
    "Pbx.Peer",
    (type) => enums[type],
  );

describe("$filter subset", () => {
  const ada = {
    Id: 7,
    Number: "100",
    EmailAddress: "Ada@Example.com",
    Enabled: true,
    FirstName: "O'Hara",
    Type: "Extension",
  };

  it.each([
    ["Number eq '100'", true],
    ["Number ne '100'", false],
    ["tolower(EmailAddress) eq 'ada@example.com'", true],
    ["Enabled eq true and Id gt 5", true],
    ["Enabled eq false or Id le 6", false],
    ["not (Enabled eq false)", true],
    ["startswith(Number,'10') and endswith(EmailAddress,'.com')", true],
    ["contains(tolower(EmailAddress),'example')", true],
    ["FirstName eq 'O''Hara'", true],
    ["EmailAddress ne null", true],
    ["Type eq Pbx.PeerType'Extension'", true],
    ["Number ne null and Type ne Pbx.PeerType'Extension'", false],
    ["Type eq 'Extension'", true],
    ["Number in ('099','100')", true],
    ["Number in ('099')", false],
    ["Id in (6,7) and Type in (Pbx.PeerType'Queue',Pbx.PeerType'Extension')", true],
    ["not (Id in (1))", true],
  ])("%s -> %s", (text, expected) => {
    expect(filter(text)(ada)).toBe(expected);
  });

  it.each([
    ["Number eq", /operand/],
    ["substringof('a',Number)", /function 'substringof' is not supported/],
    ["Nickname eq 'x'", /'Nickname' is not a filterable property/],
    ["Groups/any(g: g eq 1)", /not supported/],
    ["Id add 1 eq 2", /operator 'add' is not supported/],
    ["Number eq '100", /unterminated/],
    ["(Number eq '1'", /expected '\)'/],
    [
      "Type eq Pbx.PeerType'Trunk'",
      /'Trunk' is not a member of Pbx.PeerType \(Extension, Queue, RingGroup\)/,
    ],
    ["Type eq Pbx.NoSuchType'Queue'", /'Pbx.NoSuchType' is not an enum type/],
    ["Type eq Pbx.PeerType'Queue", /unterminated/],
    ["Number eq 100", /incompatible types .*'Edm.String' and 'Edm.Int32'/],
    ["Enabled eq 'true'", /incompatible types .*'Edm.Boolean' and 'Edm.String'/],
    ["Id eq '7'", /incompatible types/],
    ["Number in ('100',101)", /incompatible types/],
    ["Number in (Id)", /literals only/],
    ["tolower(Id) eq '7'", /no function signature .*tolower/],
    ["Number", /must be of type Edm.Boolean/],
    ["Number and Enabled", /'and' must be of type Edm.Boolean/],
  ])("refuses %s", (text, reason) => {
    expect(() => filter(text)).toThrow(FilterSyntaxError);
    expect(() => filter(text)).toThrow(reason);
  });
});

describe("fault injector", () => {
  it("fires a rule at most `times` times and only for its operation", () => {
    const faults = new FaultInjector();
    faults.add({ operation: "CreateUser", fault: "status500", times: 2, latencyMs: 5 });
    expect(faults.decide("ListUser")).toEqual({ latencyMs: 0 });
    expect(faults.decide("CreateUser")).toEqual({ latencyMs: 5, fault: "status500" });
    expect(faults.decide("CreateUser").fault).toBe("status500");
    expect(faults.decide("CreateUser")).toEqual({ latencyMs: 5 });
    expect(faults.fired("status500")).toBe(2);
  });

  it("fires at about the given rate, the same way for the same seed", () => {
    const run = () => {
      const faults = new FaultInjector(42);
      faults.add({ fault: "status503", rate: 0.2 });
      return Array.from({ length: 1000 }, () => faults.decide("X").fault !== undefined);
    };
    const first = run();
    expect(first).toEqual(run());
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(150);
    expect(hits).toBeLessThan(250);
  });
});

describe("error targets", () => {
  it("turns JSON pointers into OData property paths", () => {
    expect(jsonPointerToTarget("/Groups/0/Rights/RoleName")).toBe("Groups[0].Rights.RoleName");
    expect(jsonPointerToTarget("")).toBe("");
  });
});
