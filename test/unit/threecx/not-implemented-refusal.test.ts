import { describe, expect, it } from "vitest";
import { errorFromResponse, isTransient } from "../../../shared/adapters/threecx/errors.js";

describe("a 501 answer", () => {
  it("is a refusal, not an outage: never retried", () => {
    const body = JSON.stringify({
      error: {
        code: "",
        message: "$search: $search is not implemented by the simulator",
        details: [
          { code: "WARNINGS.XAPI.NOT_SUPPORTED", message: "$search is not implemented", target: "$search" },
        ],
      },
    });
    const error = errorFromResponse("ListUser", 501, body, undefined);
    expect(error).toMatchObject({
      code: "THREECX_REJECTED",
      status: 501,
      warning: "WARNINGS.XAPI.NOT_SUPPORTED",
    });
    expect(isTransient(error)).toBe(false);
    expect(isTransient(errorFromResponse("ListUser", 502, "", undefined))).toBe(true);
  });
});
