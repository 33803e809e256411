import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectoryUser } from "../../../shared/ports/directory.js";
import { baseSeed, DOMAIN, startWorkspace, type Workspace } from "./support.js";

async function emails(users: AsyncIterable<DirectoryUser>): Promise<string[]> {
  const out: string[] = [];
  for await (const user of users) out.push(user.primaryEmail.split("@")[0] ?? "");
  return out.sort();
}

/** users.list `query` as Google documents the search syntax, through the Directory adapter. */
describe("Directory user search syntax in the simulator", () => {
  let ws: Workspace;
  const search = (query: string) => emails(ws.directory.listUsers({ query }));

  beforeAll(async () => {
    const seed = baseSeed();
    seed.users?.push(
      { primaryEmail: `mary.jane@${DOMAIN}`, givenName: "Mary Jane", familyName: "Watson" },
      { primaryEmail: `janet@${DOMAIN}`, givenName: "Janet", familyName: "Hopper-Smith" },
    );
    ws = await startWorkspace(seed);
  });
  afterAll(() => ws.close());

  it("matches given and family names: `:` a word, `:x*` a word's start, `=` the whole value", async () => {
    expect(await search("givenName:Jane")).toEqual(["mary.jane"]);
    expect(await search("givenName:Jan*")).toEqual(["janet", "mary.jane"]);
    expect(await search("givenName='Mary Jane'")).toEqual(["mary.jane"]);
    expect(await search("givenName=Mary")).toEqual([]);
    expect(await search("familyName:Hopper")).toEqual(["grace", "janet"]);
    expect(await search("familyName=hopper")).toEqual(["grace"]);
  });

  it("matches name (given and family together) with quoted values, single or double quotes", async () => {
    expect(await search("name:'Grace Hopper'")).toEqual(["grace"]);
    expect(await search('name:"Jane Watson"')).toEqual(["mary.jane"]);
    expect(await search("name='Ada Lovelace'")).toEqual(["ada"]);
  });

  it("matches email exactly or by its beginning", async () => {
    expect(await search(`email:grace@${DOMAIN}`)).toEqual(["grace"]);
    expect(await search(`email=ADA@${DOMAIN}`)).toEqual(["ada"]);
    expect(await search("email:jan*")).toEqual(["janet"]);
  });

  it("filters on the documented flags and combines clauses with AND", async () => {
    expect(await search("isArchived=true")).toEqual(["linus"]);
    expect(await search("isSuspended=true")).toEqual(["alan"]);
    expect(await search("isAdmin=true")).toEqual(["ada"]);
    expect(await search("isSuspended=false isArchived=false familyName:Hopper")).toEqual(["grace", "janet"]);
    expect(await search("orgUnitPath=/Engineering isArchived=false")).toEqual(["alan"]);
  });

  it("matches a bare term against given name, family name and email", async () => {
    expect(await search("hop")).toEqual(["grace", "janet"]);
    expect(await search("lin")).toEqual(["linus"]);
    expect(await search("'mary ja'")).toEqual(["mary.jane"]);
    expect(await search("watson jane")).toEqual(["mary.jane"]);
  });

  it("refuses malformed clauses and fields the simulator has no data for, by name", async () => {
    await expect(search("isArchived:true")).rejects.toMatchObject({ status: 400 });
    await expect(search("shoeSize=42")).rejects.toMatchObject({ status: 400 });
    const notImplemented = await search("manager=ada@example.com").catch((e: Error) => e.message);
    expect(notImplemented).toContain("not implemented by the simulator");
  });
});
