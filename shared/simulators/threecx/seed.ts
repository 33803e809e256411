/**
 * The JSON a simulator starts from. Users, contacts and settings go through the same validation
 * and PBX rules as requests do, so a seed cannot hold a state the real PBX would refuse.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { SimError } from "./odata/odata-error.js";
import type { XapiSpec } from "./spec/spec-validator.js";
import { type Entity, mergePatch, PbxState, SETTINGS_NAMES } from "./state.js";

const entity = z.record(z.string(), z.unknown());

export const seedSchema = z
  .object({
    /** First number GetFirstAvailableExtensionNumber hands out; its length is the extension length. */
    extensionStart: z
      .string()
      .regex(/^\d{2,8}$/)
      .default("100"),
    /**
     * A PBX that refuses a second user with an email another user has (WARNINGS.XAPI.DUPLICATE).
     * Off by default: a PBX can hold duplicates (the spec has HasDuplicatedEmail).
     */
    uniqueEmails: z.boolean().default(false),
    /**
     * The PBX version SystemStatus reports. Before 20.0.9 the personal-contact functions
     * (GetContactsByNumber, CreateContactByNumber, DeleteContactsById) do not exist: 404, as on such a PBX.
     */
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(\.\d+)?$/)
      .default("20.0.10.900"),
    /** Group.Props.PersonalContactsMaxCount of every department: most personal contacts an extension may hold. */
    personalContactsMaxCount: z.number().int().min(0).nullable().default(null),
    /** Forwarding profile names every user has. */
    profileNames: z.array(z.string().min(1)).min(1).optional(),
    apiClients: z
      .array(
        z
          .object({
            clientId: z.string().min(1),
            secret: z.string().min(1),
            role: z.enum(["system_owner", "system_admin"]).default("system_owner"),
          })
          .strict(),
      )
      .default([]),
    /** Departments; the first one is where users without Groups land (3CX's DEFAULT). */
    departments: z
      .array(z.object({ Name: z.string().min(1), Number: z.string().optional() }).strict())
      .default([{ Name: "DEFAULT" }]),
    /** Numbered DNs other than users and departments: queues, ring groups, IVRs, ... */
    otherDns: z
      .array(
        z
          .object({
            Number: z.string().regex(/^\d+$/),
            Name: z.string(),
            Type: z.enum([
              "Queue",
              "RingGroup",
              "IVR",
              "Fax",
              "Conference",
              "Parking",
              "RoutePoint",
              "SpecialMenu",
            ]),
          })
          .strict(),
      )
      .default([]),
    /** Pbx.User bodies as POST /Users takes them. */
    users: z.array(entity).default([]),
    /** Generated users on top of `users`: count users numbered from startNumber, for benchmarks. */
    generatedUsers: z
      .object({ count: z.number().int().min(0).max(100_000), startNumber: z.string().regex(/^\d+$/) })
      .strict()
      .optional(),
    /** Personal contacts: a Pbx.Contact plus the extension that owns it. */
    contacts: z.array(z.object({ ownerNumber: z.string(), contact: entity }).strict()).default([]),
    settings: z.partialRecord(z.enum(SETTINGS_NAMES), entity).default({}),
  })
  .strict();

export type ThreeCxSeed = z.input<typeof seedSchema>;
export type ParsedSeed = z.output<typeof seedSchema>;

export function readSeedFile(path: string): ParsedSeed {
  return seedSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

function seedFailure(what: string, error: unknown): Error {
  const reason = error instanceof SimError ? (error.toBody().error.message ?? error.message) : String(error);
  return new Error(`seed: ${what} is invalid: ${reason}`, { cause: error });
}

/** Builds the PBX state a seed describes, validating every entity against the spec. */
export function buildState(seed: ParsedSeed, spec: XapiSpec): PbxState {
  const state = new PbxState({
    extensionStart: seed.extensionStart,
    uniqueEmails: seed.uniqueEmails,
    version: seed.version,
    personalContactsMaxCount: seed.personalContactsMaxCount,
    ...(seed.profileNames ? { profileNames: seed.profileNames } : {}),
  });
  for (const department of seed.departments) state.addGroup(department);
  for (const dn of seed.otherDns) state.addDn(dn.Number, dn.Name, dn.Type);

  const createUser = spec.operationById("CreateUser");
  const addUser = (body: Entity, what: string) => {
    const violation = spec.checkRequestBody(createUser, body);
    if (violation) throw new Error(`seed: ${what}: ${violation.target}: ${violation.message}`);
    try {
      state.createUser(body);
    } catch (error) {
      throw seedFailure(what, error);
    }
  };
  seed.users.forEach((user, index) => {
    addUser(user, `users[${index}]`);
  });
  if (seed.generatedUsers) {
    const start = Number(seed.generatedUsers.startNumber);
    const width = seed.generatedUsers.startNumber.length;
    for (let i = 0; i < seed.generatedUsers.count; i++) {
      const number = String(start + i).padStart(width, "0");
      addUser(
        {
          Number: number,
          FirstName: `First${i}`,
          LastName: `Last${i}`,
          EmailAddress: `user${i}@example.com`,
          Mobile: `+1555${String(i).padStart(7, "0")}`,
        },
        `generatedUsers #${i}`,
      );
    }
  }

  const createContact = spec.operationById("CreateContactByNumber");
  seed.contacts.forEach(({ ownerNumber, contact }, index) => {
    const violation = spec.checkRequestBody(createContact, { number: ownerNumber, contact });
    if (violation) throw new Error(`seed: contacts[${index}]: ${violation.target}: ${violation.message}`);
    try {
      state.createContact(ownerNumber, contact);
    } catch (error) {
      throw seedFailure(`contacts[${index}]`, error);
    }
  });

  for (const name of SETTINGS_NAMES) {
    const patch = seed.settings[name];
    if (!patch) continue;
    const violation = spec.checkRequestBody(spec.operationById(`Update${name}`), patch);
    if (violation) throw new Error(`seed: settings.${name}: ${violation.target}: ${violation.message}`);
    mergePatch(state.settings[name], patch);
  }
  return state;
}
