import { people_v1 } from "@googleapis/people";
import type { Contact, ContactLabel, ContactSyncResult, People } from "../../ports/people.js";
import { PeopleError } from "../../ports/people.js";
import { callAsUser, toPortError, type WorkspaceAdapterOptions } from "./delegated-call.js";
import { clientOptions } from "./endpoints.js";
import { classifyGoogleError } from "./google-errors.js";
import { readToSyncToken } from "./read-to-sync-token.js";
import { SCOPES } from "./scopes.js";

export type GooglePeopleOptions = WorkspaceAdapterOptions;

/** Everything a 3CX personal contact is built from; the same mask on full and incremental requests. */
export const PERSON_FIELDS = "names,organizations,phoneNumbers,emailAddresses,photos,memberships,metadata";
const MAX_CONNECTIONS_PER_PAGE = 1000;
const MAX_GROUPS_PER_PAGE = 1000;
/** The People API's reason for a sync token older than 7 days. */
export const EXPIRED_SYNC_TOKEN = "EXPIRED_SYNC_TOKEN";

/** People API as each user: their own contacts (people/me/connections) and labels. */
export class GooglePeople implements People {
  private readonly people: people_v1.People;

  constructor(private readonly options: GooglePeopleOptions) {
    this.people = new people_v1.People(clientOptions(options.apiRootUrl, options.timeoutMs ?? 30_000));
  }

  async syncContacts(userEmail: string, options: { syncToken?: string } = {}): Promise<ContactSyncResult> {
    if (options.syncToken === undefined) return this.listAll(userEmail, undefined);
    try {
      return { ...(await this.listAll(userEmail, options.syncToken)), full: false };
    } catch (error) {
      if (!(error instanceof PeopleError) || !isExpiredSyncToken(error)) throw error;
      this.options.logger?.event("googleSyncTokenInvalidated", { api: "people", subject: userEmail });
      return { ...(await this.listAll(userEmail, undefined)), tokenExpired: true };
    }
  }

  async listContactLabels(userEmail: string): Promise<ContactLabel[]> {
    const labels: ContactLabel[] = [];
    let pageToken: string | undefined;
    do {
      const response = await this.call(userEmail, "contactGroups.list", (auth) =>
        this.people.contactGroups.list(
          {
            pageSize: MAX_GROUPS_PER_PAGE,
            pageToken,
            groupFields: "name,groupType,memberCount",
            quotaUser: userEmail,
          },
          auth,
        ),
      );
      for (const group of response.data.contactGroups ?? []) {
        if (!group.resourceName || !group.name) continue;
        labels.push({
          resourceName: group.resourceName,
          name: group.name,
          memberCount: group.memberCount ?? undefined,
        });
      }
      pageToken = response.data.nextPageToken ?? undefined;
    } while (pageToken);
    return labels;
  }

  async findContactLabel(userEmail: string, name: string): Promise<ContactLabel | undefined> {
    const labels = await this.listContactLabels(userEmail);
    return (
      labels.find((label) => label.name === name) ??
      labels.find((label) => label.name.toLowerCase() === name.toLowerCase())
    );
  }

  private async listAll(userEmail: string, syncToken: string | undefined): Promise<ContactSyncResult> {
    const { items: contacts, nextSyncToken } = await readToSyncToken(
      async (pageToken) => {
        const response = await this.call(userEmail, "connections.list", (auth) =>
          this.people.people.connections.list(
            {
              resourceName: "people/me",
              personFields: PERSON_FIELDS,
              pageSize: MAX_CONNECTIONS_PER_PAGE,
              requestSyncToken: true,
              syncToken,
              pageToken,
              quotaUser: userEmail,
            },
            auth,
          ),
        );
        return { ...response.data, items: (response.data.connections ?? []).map(toContact) };
      },
      () => new PeopleError("FAILED", "connections.list ended without a nextSyncToken", { status: 200 }),
    );
    return { full: true, tokenExpired: false, contacts, nextSyncToken };
  }

  private async call<T>(
    userEmail: string,
    operation: string,
    run: Parameters<typeof callAsUser<T>>[2],
  ): Promise<T> {
    try {
      return await callAsUser(
        this.options,
        { api: "people", operation, subject: userEmail, scopes: SCOPES.contacts },
        run,
      );
    } catch (error) {
      throw toPortError(error, (failure, options) => {
        const reason = failure.errorInfoReason === EXPIRED_SYNC_TOKEN ? EXPIRED_SYNC_TOKEN : options.reason;
        return new PeopleError(failure.failure, `People ${operation} failed: ${failure.message}`, {
          ...options,
          reason,
        });
      });
    }
  }
}

function isExpiredSyncToken(error: PeopleError): boolean {
  return (
    error.reason === EXPIRED_SYNC_TOKEN ||
    classifyGoogleError(error.cause).errorInfoReason === EXPIRED_SYNC_TOKEN
  );
}

function first<T extends { metadata?: people_v1.Schema$FieldMetadata | null }>(
  items: T[] | null | undefined,
): T | undefined {
  if (!items || items.length === 0) return undefined;
  return items.find((item) => item.metadata?.primary) ?? items[0];
}

export function toContact(person: people_v1.Schema$Person): Contact {
  const name = first(person.names);
  const organization = first(person.organizations);
  const photo = first(person.photos);
  return {
    resourceName: person.resourceName ?? "",
    etag: person.etag ?? undefined,
    deleted: person.metadata?.deleted === true,
    givenName: name?.givenName ?? undefined,
    familyName: name?.familyName ?? undefined,
    displayName: name?.displayName ?? undefined,
    company: organization?.name ?? undefined,
    jobTitle: organization?.title ?? undefined,
    department: organization?.department ?? undefined,
    phones: (person.phoneNumbers ?? [])
      .filter((p) => p.value)
      .map((p) => ({
        value: p.value as string,
        canonicalForm: p.canonicalForm ?? undefined,
        type: p.type ?? undefined,
      })),
    emails: (person.emailAddresses ?? [])
      .filter((e) => e.value)
      .map((e) => ({ value: e.value as string, type: e.type ?? undefined })),
    photoUrl: photo && photo.default !== true ? (photo.url ?? undefined) : undefined,
    labelResourceNames: (person.memberships ?? [])
      .map((m) => m.contactGroupMembership?.contactGroupResourceName)
      .filter((r): r is string => typeof r === "string"),
  };
}
