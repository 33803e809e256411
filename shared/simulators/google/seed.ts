import { readFile } from "node:fs/promises";
import { z } from "zod";

/** The JSON a simulator starts from (`npm run sim:google -- --seed FILE`). */

const phone = z.object({
  value: z.string(),
  type: z.string().default("work"),
  customType: z.string().optional(),
  primary: z.boolean().optional(),
});

const eventTime = z.object({
  date: z.string().optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});

const attendee = z.object({
  email: z.string(),
  displayName: z.string().optional(),
  organizer: z.boolean().optional(),
  resource: z.boolean().optional(),
  optional: z.boolean().optional(),
  responseStatus: z.enum(["needsAction", "declined", "tentative", "accepted"]).default("needsAction"),
});

export const seedEventSchema = z.object({
  id: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  eventType: z
    .enum(["default", "focusTime", "outOfOffice", "workingLocation", "birthday", "fromGmail"])
    .default("default"),
  status: z.enum(["confirmed", "tentative", "cancelled"]).default("confirmed"),
  visibility: z.enum(["default", "public", "private", "confidential"]).optional(),
  transparency: z.enum(["opaque", "transparent"]).optional(),
  start: eventTime,
  end: eventTime,
  recurrence: z.array(z.string()).optional(),
  attendees: z.array(attendee).optional(),
  /** Email of the organizer; defaults to the calendar's owner. */
  organizer: z.string().optional(),
  focusTimeProperties: z.record(z.string(), z.unknown()).optional(),
  outOfOfficeProperties: z.record(z.string(), z.unknown()).optional(),
  workingLocationProperties: z.record(z.string(), z.unknown()).optional(),
});
export type SeedEvent = z.input<typeof seedEventSchema>;

export const seedContactSchema = z.object({
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  company: z.string().optional(),
  jobTitle: z.string().optional(),
  department: z.string().optional(),
  phones: z.array(z.object({ value: z.string(), type: z.string().optional() })).default([]),
  emails: z.array(z.object({ value: z.string(), type: z.string().optional() })).default([]),
  photoUrl: z.string().optional(),
  /** Label names, e.g. ["3CX"]; created on the user when missing. */
  labels: z.array(z.string()).default([]),
});
export type SeedContact = z.input<typeof seedContactSchema>;

export const seedUserSchema = z.object({
  id: z.string().optional(),
  primaryEmail: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  orgUnitPath: z.string().default("/"),
  isAdmin: z.boolean().default(false),
  suspended: z.boolean().default(false),
  archived: z.boolean().default(false),
  deleted: z.boolean().default(false),
  phones: z.array(phone).default([]),
  organizations: z
    .array(
      z.object({
        title: z.string().optional(),
        department: z.string().optional(),
        primary: z.boolean().optional(),
      }),
    )
    .default([]),
  /** Photo bytes, standard base64. */
  photo: z.object({ mimeType: z.string().default("image/jpeg"), base64: z.string() }).optional(),
  timeZone: z.string().default("UTC"),
  events: z.array(seedEventSchema).default([]),
  labels: z.array(z.string()).default([]),
  contacts: z.array(seedContactSchema).default([]),
});
export type SeedUser = z.input<typeof seedUserSchema>;

export const seedSchema = z.object({
  customer: z.object({ id: z.string().default("C0sim0001"), domain: z.string() }),
  serviceAccounts: z
    .array(
      z.object({
        email: z.string(),
        /** The numeric OAuth client id the Admin console's delegation entry names. */
        uniqueId: z.string(),
        /**
         * Bearer token that stands for this account's own runtime credential (what the metadata
         * server would hand the function); it may call signJwt on the account.
         */
        sourceToken: z.string(),
      }),
    )
    .default([]),
  /** Admin console > Security > API controls > Domain-wide delegation. */
  domainWideDelegation: z.array(z.object({ clientId: z.string(), scopes: z.array(z.string()) })).default([]),
  orgUnits: z.array(z.string()).default(["/"]),
  users: z.array(seedUserSchema).default([]),
  groups: z
    .array(
      z.object({
        id: z.string().optional(),
        email: z.string(),
        name: z.string().optional(),
        members: z
          .array(
            z.object({
              email: z.string(),
              type: z.enum(["USER", "GROUP"]).default("USER"),
              role: z.enum(["OWNER", "MANAGER", "MEMBER"]).default("MEMBER"),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});
export type TenantSeed = z.input<typeof seedSchema>;
export type ParsedSeed = z.output<typeof seedSchema>;

export async function loadSeedFile(path: string): Promise<ParsedSeed> {
  return seedSchema.parse(JSON.parse(await readFile(path, "utf8")));
}

/** A tenant of `count` plain users (for the 10,000-user benchmark), on top of `base`. */
export function withGeneratedUsers(
  base: TenantSeed,
  count: number,
  domain = base.customer.domain,
): TenantSeed {
  const users: SeedUser[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(5, "0");
    users.push({
      primaryEmail: `user${n}@${domain}`,
      givenName: `Given${n}`,
      familyName: `Family${n}`,
      orgUnitPath: i % 3 === 0 ? "/Sales" : "/Engineering",
      phones: [{ value: `+4930${String(1_000_000 + i)}`, type: "work" }],
    });
  }
  return {
    ...base,
    orgUnits: [...new Set([...(base.orgUnits ?? ["/"]), "/Sales", "/Engineering"])],
    users: [...(base.users ?? []), ...users],
  };
}
