/** Users, departments and DNs over XAPI. */
import { z } from "zod";
import {
  type NewThreeCxUser,
  type ThreeCx,
  type ThreeCxDepartment,
  type ThreeCxDn,
  ThreeCxError,
  type ThreeCxGroupMembership,
  type ThreeCxUser,
  type ThreeCxUserChanges,
  type ThreeCxUserQuery,
  type ThreeCxUserSummary,
} from "../../ports/threecx.js";
import type { ClientContext } from "./client-context.js";
import { odataFilter } from "./operations.js";
import { readAll } from "./paging.js";

const text = z.string().nullable().default(null);
const flag = z.boolean().nullable().default(null);

const userSummaryShape = z.object({
  Id: z.number().int(),
  Number: z.string(),
  FirstName: text,
  LastName: text,
  EmailAddress: text,
  Mobile: text,
  Enabled: z.boolean(),
  CurrentProfileName: text,
  GoogleSignInEnabled: flag,
  PrimaryGroupId: z.number().int().nullable().default(null),
});

export const userSummarySchema: z.ZodType<ThreeCxUserSummary> = userSummaryShape;
export const userSchema: z.ZodType<ThreeCxUser> = userSummaryShape.extend({ ContactImage: text });

/** Exactly the properties the port exposes, so lists of 10,000 users stay small on the wire. */
const USER_SUMMARY_SELECT = [
  "Id",
  "Number",
  "FirstName",
  "LastName",
  "EmailAddress",
  "Mobile",
  "Enabled",
  "CurrentProfileName",
  "GoogleSignInEnabled",
  "PrimaryGroupId",
] as const;
export const USER_SELECT = [...USER_SUMMARY_SELECT, "ContactImage"] as const;

/** A user's own DN, as the PeerType enum literal OData 4.0 spells it. */
const USER_EXTENSION_TYPE = { enumType: "Pbx.PeerType", member: "Extension" } as const;
const NUMBERED = "Number ne null";

export const dnSchema: z.ZodType<ThreeCxDn> = z.object({
  Id: z.number().int(),
  Number: z.string(),
  Name: text,
  Type: z
    .enum([
      "None",
      "Extension",
      "Queue",
      "RingGroup",
      "IVR",
      "Fax",
      "Conference",
      "SpecialMenu",
      "Parking",
      "ExternalLine",
      "Group",
      "RoutePoint",
    ])
    .nullable()
    .default(null),
});

export const departmentSchema: z.ZodType<ThreeCxDepartment> = z.object({
  Id: z.number().int(),
  Name: text,
  Number: text,
});

export const membershipSchema: z.ZodType<ThreeCxGroupMembership> = z
  .object({ GroupId: z.number().int(), Rights: z.object({ RoleName: z.string() }) })
  .transform((group) => ({ GroupId: group.GroupId, RoleName: group.Rights.RoleName }));

export function userFilter(query: ThreeCxUserQuery): string | undefined {
  const clauses: string[] = [];
  if (query.emailAddress !== undefined)
    clauses.push(odataFilter.eqIgnoreCase("EmailAddress", query.emailAddress));
  if (query.number !== undefined) clauses.push(odataFilter.eq("Number", query.number));
  if (query.enabled !== undefined) clauses.push(odataFilter.eq("Enabled", query.enabled));
  return clauses.length === 0 ? undefined : odataFilter.and(clauses);
}

/** XAPI shape of department memberships: { GroupId, Rights: { RoleName } }. */
function groupsBody(groups: readonly ThreeCxGroupMembership[]) {
  return groups.map((group) => ({ GroupId: group.GroupId, Rights: { RoleName: group.RoleName } }));
}

/** Body of POST /Users or PATCH /Users(Id): only the fields given, Groups in XAPI shape. */
export function userBody(fields: NewThreeCxUser | ThreeCxUserChanges): Record<string, unknown> {
  const { Groups, ...rest } = fields;
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) body[key] = value;
  if (Groups !== undefined) body.Groups = groupsBody(Groups);
  return body;
}

export function userOperations(
  ctx: ClientContext,
): Pick<
  ThreeCx,
  | "listUsers"
  | "getUser"
  | "getUserByNumber"
  | "createUser"
  | "updateUser"
  | "setUserEnabled"
  | "getFirstAvailableExtensionNumber"
  | "listDns"
  | "listDepartments"
  | "listUserGroups"
> {
  const { transport } = ctx;
  const orUndefinedWhenMissing = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ThreeCxError && error.code === "THREECX_NOT_FOUND") return undefined;
      throw error;
    }
  };
  const getUserByNumber = (number: string) =>
    orUndefinedWhenMissing(() =>
      transport.call(
        { operation: "GetUserByNumber", params: { Number: number }, query: { $select: USER_SELECT } },
        (body) => userSchema.parse(body),
      ),
    );
  return {
    listUsers: (query = {}) => {
      const $filter = userFilter(query);
      return readAll(
        transport,
        ctx.pages,
        { operation: "ListUser", query: { $select: USER_SUMMARY_SELECT, ...($filter ? { $filter } : {}) } },
        userSummarySchema,
        ctx.logger,
      );
    },
    getUser: (id) =>
      orUndefinedWhenMissing(() =>
        transport.call(
          { operation: "GetUser", params: { Id: id }, query: { $select: USER_SELECT } },
          (body) => userSchema.parse(body),
        ),
      ),
    getUserByNumber,
    createUser: (user) =>
      transport.call({ operation: "CreateUser", body: userBody(user) }, (body) => userSchema.parse(body), {
        // A create whose answer was lost may have been applied: the number tells.
        recover: async () => {
          const existing = await getUserByNumber(user.Number);
          const sameEmail =
            (existing?.EmailAddress ?? "").toLowerCase() === (user.EmailAddress ?? "").toLowerCase();
          return existing && sameEmail ? existing : undefined;
        },
      }),
    updateUser: async (id, changes) => {
      const body = userBody(changes);
      if (Object.keys(body).length === 0) return;
      await transport.call({ operation: "UpdateUser", params: { Id: id }, body }, () => undefined);
    },
    setUserEnabled: (id, enabled) =>
      transport.call(
        { operation: "UpdateUser", params: { Id: id }, body: { Enabled: enabled } },
        () => undefined,
      ),
    getFirstAvailableExtensionNumber: () =>
      transport.call(
        { operation: "GetFirstAvailableExtensionNumber" },
        (body) => z.object({ Number: z.string() }).parse(body).Number,
      ),
    listDns: async (options = {}) => {
      // DNs without a number (system objects) are no use for "is this number taken".
      const readDns = (clauses: string[]) =>
        readAll(
          transport,
          ctx.pages,
          {
            operation: "ListPeer",
            query: { $select: ["Id", "Number", "Name", "Type"], $filter: odataFilter.and(clauses) },
          },
          dnSchema,
          ctx.logger,
        );
      if (!options.exceptUserExtensions) return readDns([NUMBERED]);
      try {
        return await readDns([NUMBERED, odataFilter.ne("Type", USER_EXTENSION_TYPE)]);
      } catch (error) {
        // A PBX that refuses the enum comparison still answers the plain listing: read it all.
        if (!(error instanceof ThreeCxError && error.status === 400 && error.target === "$filter"))
          throw error;
        ctx.logger?.event("threecxFilterFallback", { operation: "ListPeer", reason: error.message });
        return (await readDns([NUMBERED])).filter((dn) => dn.Type !== USER_EXTENSION_TYPE.member);
      }
    },
    listDepartments: () =>
      readAll(
        transport,
        ctx.pages,
        { operation: "ListGroup", query: { $select: ["Id", "Name", "Number"] } },
        departmentSchema,
        ctx.logger,
      ),
    listUserGroups: (userId) =>
      readAll(
        transport,
        ctx.pages,
        {
          operation: "ListGroups",
          params: { Id: userId },
          query: { $select: ["GroupId"], $expand: ["Rights"] },
        },
        membershipSchema,
        ctx.logger,
      ),
  };
}
