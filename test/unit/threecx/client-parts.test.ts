import { describe, expect, it } from "vitest";
import { isAmbiguous, parseODataError, parseRetryAfter } from "../../../shared/adapters/threecx/errors.js";
import { buildPath, buildQuery, odataFilter } from "../../../shared/adapters/threecx/operations.js";
import { TokenManager, tokenLifetimeSeconds } from "../../../shared/adapters/threecx/token-manager.js";
import { changedUserFields, ThreeCxError, type ThreeCxUser } from "../../../shared/ports/threecx.js";

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.sig`;
}

describe("OData requests", () => {
  it("builds keys as OData literals, escaping quotes", () => {
    expect(buildPath("GetUser", { Id: 42 })).toBe("/Users(42)");
    expect(buildPath("GetUserByNumber", { Number: "100" })).toBe("/Users(Number='100')");
    expect(buildPath("GetContactsByNumber", { number: "1'0" })).toBe(
      "/Contacts/Pbx.GetContactsByNumber(number='1''0')",
    );
    expect(() => buildPath("GetUser", {})).toThrow(/Id is missing/);
  });

  it("builds query options with comma-joined lists and encoded values", () => {
    expect(buildQuery({ $select: ["Id", "Number"], $top: 10, $skip: 0 })).toBe(
      "?$select=Id%2CNumber&$top=10&$skip=0",
    );
    expect(buildQuery({})).toBe("");
  });

  it("quotes filter values so user data cannot change the filter", () => {
    expect(odataFilter.eqIgnoreCase("EmailAddress", "O'Brien@X.com")).toBe(
      "tolower(EmailAddress) eq 'o''brien@x.com'",
    );
    expect(odataFilter.and([odataFilter.eq("Number", "1"), odataFilter.eq("Enabled", true)])).toBe(
      "Number eq '1' and Enabled eq true",
    );
  });
});

describe("error bodies", () => {
  it("reads the WARNINGS code and target from details", () => {
    const body = JSON.stringify({
      error: {
        code: "",
        message: "Number: in use",
        details: [{ code: "WARNINGS.XAPI.ALREADY_IN_USE", message: "in use", target: "Number" }],
      },
    });
    expect(parseODataError(body)).toEqual({
      warning: "WARNINGS.XAPI.ALREADY_IN_USE",
      target: "Number",
      message: "in use",
    });
  });

  it("finds a WARNINGS code carried in the message instead of the code", () => {
    const body = JSON.stringify({
      error: {
        code: "",
        message: "x",
        details: [{ code: "", message: "WARNINGS.XAPI.DUPLICATE", target: "EmailAddress" }],
      },
    });
    expect(parseODataError(body)).toMatchObject({
      warning: "WARNINGS.XAPI.DUPLICATE",
      target: "EmailAddress",
    });
  });

  it("survives bodies that are not OData errors", () => {
    expect(parseODataError("")).toEqual({});
    expect(parseODataError("<html>Bad Gateway</html>")).toEqual({ message: "<html>Bad Gateway</html>" });
  });

  it("reads Retry-After as seconds or as a date", () => {
    expect(parseRetryAfter("3", 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it("counts a lost answer or a 500 as ambiguous for writes, a 503 not", () => {
    const error = (code: ThreeCxError["code"], status?: number) =>
      new ThreeCxError(code, "x", { operation: "CreateUser", ...(status ? { status } : {}) });
    expect(isAmbiguous(error("THREECX_NETWORK"))).toBe(true);
    expect(isAmbiguous(error("THREECX_UNAVAILABLE", 500))).toBe(true);
    expect(isAmbiguous(error("THREECX_UNAVAILABLE", 503))).toBe(false);
    expect(isAmbiguous(error("THREECX_RATE_LIMITED", 429))).toBe(false);
  });
});

describe("token lifetime", () => {
  it("takes a JWT's own lifetime over expires_in", () => {
    expect(tokenLifetimeSeconds({ access_token: jwt({ iat: 1000, exp: 4600 }), expires_in: 60 })).toBe(3600);
  });

  it("reads small expires_in values as minutes (before 20.0.9) and large ones as seconds", () => {
    expect(tokenLifetimeSeconds({ access_token: "opaque", expires_in: 60 })).toBe(3600);
    expect(tokenLifetimeSeconds({ access_token: "opaque", expires_in: 3600 })).toBe(3600);
  });

  it("fetches once for concurrent callers, renews before expiry and after invalidate", async () => {
    let now = 0;
    let fetched = 0;
    const manager = new TokenManager({
      now: () => now,
      requestToken: async () => {
        fetched++;
        return { access_token: `t${fetched}`, expires_in: 3600 };
      },
    });
    expect(await Promise.all([manager.token(), manager.token(), manager.token()])).toEqual([
      "t1",
      "t1",
      "t1",
    ]);
    now = 3_540_000 - 1; // just inside the 60 s margin
    expect(await manager.token()).toBe("t1");
    now = 3_540_000;
    expect(await manager.token()).toBe("t2");
    manager.invalidate("t1"); // a stale 401 does not throw away the newer token
    expect(await manager.token()).toBe("t2");
    manager.invalidate("t2");
    expect(await manager.token()).toBe("t3");
  });
});

describe("changedUserFields", () => {
  const user: ThreeCxUser = {
    Id: 1,
    Number: "100",
    FirstName: "Ada",
    LastName: "Lovelace",
    EmailAddress: "ada@example.com",
    Mobile: null,
    Enabled: true,
    CurrentProfileName: "Available",
    GoogleSignInEnabled: null,
    ContactImage: null,
    PrimaryGroupId: 1,
  };

  it("keeps only what differs", () => {
    expect(
      changedUserFields(user, { FirstName: "Ada", LastName: "King", Mobile: "+1", Enabled: true }),
    ).toEqual({
      LastName: "King",
      Mobile: "+1",
    });
    expect(changedUserFields(user, { FirstName: "Ada" })).toEqual({});
  });
});
