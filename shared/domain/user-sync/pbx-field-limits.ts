import type { PbxUserFields } from "./user-sync-types.js";

/**
 * Longest values 3CX accepts (its WARNINGS.LENGTH_NOT_MORE_50_CHARS / _255_CHARS checks). A longer
 * value is reported, never cut short silently.
 */
export const PBX_FIELD_LIMITS: Readonly<Record<keyof PbxUserFields, number>> = {
  FirstName: 50,
  LastName: 50,
  EmailAddress: 255,
  Mobile: 50,
};

export interface FieldTooLong {
  field: keyof PbxUserFields;
  length: number;
  limit: number;
}

/**
 * Length as the PBX measures it: the XAPI is an ASP.NET OData service, whose string lengths are
 * UTF-16 code units. "李小龍" is 3, but an emoji outside the Basic Multilingual Plane is 2, so a
 * name of 26 emoji is over a 50-character limit there. Counting the PBX's way means a value this
 * check lets through is one the PBX takes.
 */
export function findTooLongFields(fields: Partial<PbxUserFields>): FieldTooLong[] {
  const problems: FieldTooLong[] = [];
  for (const [field, value] of Object.entries(fields) as [keyof PbxUserFields, string | undefined][]) {
    const limit = PBX_FIELD_LIMITS[field];
    if (value !== undefined && value.length > limit) problems.push({ field, length: value.length, limit });
  }
  return problems;
}
