/** A Google personal contact as the contacts rules need it (the People port's Contact fits it). */
export interface PersonalContact {
  /** "people/c123...": stable id of the contact. */
  resourceName: string;
  /** Deleted since the last incremental read. */
  deleted: boolean;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  company?: string;
  jobTitle?: string;
  department?: string;
  /** `type`: Google's canonical type (mobile, work, home, workFax, ...) or a custom text. */
  phones: ReadonlyArray<{ value: string; canonicalForm?: string; type?: string }>;
  emails: ReadonlyArray<{ value: string; type?: string }>;
  /** A real photo (not Google's placeholder), when there is one. */
  photoUrl?: string;
  /** "contactGroups/<id>" of every label the contact carries. */
  labelResourceNames: readonly string[];
}
