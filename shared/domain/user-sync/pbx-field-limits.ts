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

/** Length in characters as a person counts them (code points), so "李小龍" is 3, not 6 bytes. */
export function findTooLongFields(fields: Partial<PbxUserFields>): FieldTooLong[] {
  const problems: FieldTooLong[] = [];
  for (const [field, value] of Object.entries(fields) as [keyof PbxUserFields, string | undefined][]) {
    const limit = PBX_FIELD_LIMITS[field];
    // UTF-16 units are never fewer than code points: only a value that long needs counting.
    if (value === undefined || value.length <= limit) continue;
    const length = [...value].length;
    if (length > limit) problems.push({ field, length, limit });
  }
  return problems;
}
