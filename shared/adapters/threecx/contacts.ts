/** Personal contacts of an extension (XAPI 20.0.9+: GetContactsByNumber, CreateContactByNumber, ...). */
import { z } from "zod";
import type { ThreeCx, ThreeCxContact, ThreeCxContactFields } from "../../ports/threecx.js";
import type { ClientContext } from "./client-context.js";
import { readAll } from "./paging.js";

const text = z.string().nullable().default(null);

export const contactSchema: z.ZodType<ThreeCxContact> = z.object({
  Id: z.number().int(),
  FirstName: text,
  LastName: text,
  CompanyName: text,
  Department: text,
  Title: text,
  Email: text,
  PhoneNumber: text,
  Mobile2: text,
  Home: text,
  Business: text,
  Business2: text,
  BusinessFax: text,
  Pager: text,
  Other: text,
  ContactType: z.enum(["3CX", "CRM", "Google", "M365"]).nullable().default(null),
  Tag: text,
});

const systemVersionSchema = z.object({ Version: z.string().nullable().default(null) });

const contactLimitSchema = z.object({
  Id: z.number().int(),
  Props: z.object({ PersonalContactsMaxCount: z.number().int().nullable().optional() }).nullable().optional(),
});

export function contactBody(fields: ThreeCxContactFields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([key, value]) => key !== "Id" && value !== undefined),
  );
}

/** True when `contact` holds every field that was sent: the create was applied. */
export function holdsAll(contact: ThreeCxContact, sent: Record<string, unknown>): boolean {
  return Object.entries(sent).every(([key, value]) => contact[key as keyof ThreeCxContact] === value);
}

export function contactOperations(
  ctx: ClientContext,
): Pick<
  ThreeCx,
  | "listPersonalContacts"
  | "createPersonalContact"
  | "updateContact"
  | "deleteContacts"
  | "getSystemVersion"
  | "listPersonalContactLimits"
> {
  const { transport } = ctx;
  const listPersonalContacts = (extensionNumber: string) =>
    readAll(
      transport,
      ctx.pages,
      { operation: "GetContactsByNumber", params: { number: extensionNumber } },
      contactSchema,
      ctx.logger,
    );
  return {
    listPersonalContacts,
    createPersonalContact: (extensionNumber, contact) => {
      const sent = contactBody(contact);
      return transport.call(
        { operation: "CreateContactByNumber", body: { number: extensionNumber, contact: sent } },
        (body) => contactSchema.parse(body),
        {
          // A create whose answer was lost may have been applied: look for a contact holding what was sent.
          recover: async () =>
            (await listPersonalContacts(extensionNumber)).find((candidate) => holdsAll(candidate, sent)),
        },
      );
    },
    updateContact: async (id, changes) => {
      const body = contactBody(changes);
      if (Object.keys(body).length === 0) return;
      await transport.call({ operation: "UpdateContact", params: { Id: id }, body }, () => undefined);
    },
    deleteContacts: async (ids) => {
      if (ids.length === 0) return;
      // Deleting an already deleted contact is harmless, so a repeat after a lost answer is safe.
      await transport.call({ operation: "DeleteContactsById", body: { ids: [...ids] } }, () => undefined, {
        idempotent: true,
      });
    },
    getSystemVersion: () =>
      transport.call(
        { operation: "GetSystemStatus", query: { $select: ["Version"] } },
        (body) => systemVersionSchema.parse(body).Version,
      ),
    listPersonalContactLimits: async () =>
      (
        await readAll(
          transport,
          ctx.pages,
          { operation: "ListGroup", query: { $select: ["Id", "Props"] } },
          contactLimitSchema,
          ctx.logger,
        )
      ).map((group) => ({ departmentId: group.Id, maxCount: group.Props?.PersonalContactsMaxCount ?? null })),
  };
}
