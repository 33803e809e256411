import { describe, expect, it } from "vitest";
import type { XapiRequest, XapiTransport } from "../../../shared/adapters/threecx/transport.js";
import { userOperations } from "../../../shared/adapters/threecx/users.js";
import { ThreeCxError } from "../../../shared/ports/threecx.js";

const DNS = [
  { Id: 1, Number: "100", Name: "Sales queue", Type: "Queue" },
  { Id: 2, Number: "101", Name: "Ada", Type: "Extension" },
  { Id: 3, Number: "103", Name: "Ring all", Type: "RingGroup" },
];

/** A PBX that answers ListPeer, optionally refusing enum literals in $filter as an older OData stack might. */
function pbx(refusesEnumLiterals: boolean) {
  const filters: string[] = [];
  const transport = {
    async call<T>(request: XapiRequest, decode: (body: unknown) => T): Promise<T> {
      const filter = String(request.query?.$filter ?? "");
      filters.push(filter);
      if (refusesEnumLiterals && filter.includes("Pbx.PeerType'")) {
        throw new ThreeCxError("THREECX_REJECTED", "3CX ListPeer failed with HTTP 400 ($filter)", {
          operation: "ListPeer",
          status: 400,
          target: "$filter",
        });
      }
      const value = filter.includes("Type ne") ? DNS.filter((dn) => dn.Type !== "Extension") : DNS;
      return decode({ "@odata.count": value.length, value });
    },
  } as unknown as XapiTransport;
  const events: string[] = [];
  const logger = { event: (name: string) => events.push(name) } as never;
  return { ops: userOperations({ transport, pages: { pageSize: 1000 }, logger }), filters, events };
}

describe("listing the DNs that are not users", () => {
  it("asks the PBX for them with an enum comparison", async () => {
    const { ops, filters, events } = pbx(false);
    expect((await ops.listDns({ exceptUserExtensions: true })).map((dn) => dn.Number)).toEqual([
      "100",
      "103",
    ]);
    expect(filters).toEqual(["Number ne null and Type ne Pbx.PeerType'Extension'"]);
    expect(events).toEqual([]);
  });

  it("falls back to the whole listing, filtered here, when the PBX refuses that $filter", async () => {
    const { ops, filters, events } = pbx(true);
    expect((await ops.listDns({ exceptUserExtensions: true })).map((dn) => dn.Number)).toEqual([
      "100",
      "103",
    ]);
    expect(filters).toEqual(["Number ne null and Type ne Pbx.PeerType'Extension'", "Number ne null"]);
    expect(events).toEqual(["threecxFilterFallback"]);
  });

  it("lists every numbered DN when asked for all", async () => {
    const { ops } = pbx(true);
    expect((await ops.listDns()).map((dn) => dn.Number)).toEqual(["100", "101", "103"]);
  });
});
