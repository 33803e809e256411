import { requireScope } from "../auth-state.js";
import type { StoredContact, StoredLabel, UserContacts } from "../contacts-state.js";
import type { SimUser } from "../directory-state.js";
import {
  authenticated,
  decodeToken,
  encodeToken,
  ok,
  query,
  queryBool,
  queryInt,
  type Route,
  type RouteContext,
  type SimRequest,
} from "../http-kit.js";
import { apiError, notImplemented } from "../wire.js";

const CONTACT_SCOPES = [
  "https://www.googleapis.com/auth/contacts",
  "https://www.googleapis.com/auth/contacts.readonly",
];
const PERSON_FIELDS = new Set(
  "addresses,ageRanges,biographies,birthdays,calendarUrls,clientData,coverPhotos,emailAddresses,events,externalIds,genders,imClients,interests,locales,locations,memberships,metadata,miscKeywords,names,nicknames,occupations,organizations,phoneNumbers,photos,relations,sipAddresses,skills,urls,userDefined".split(
    ",",
  ),
);
/** People sync tokens expire seven days after the full sync. */
const SYNC_TOKEN_LIFETIME_MS = 7 * 86_400_000;
const PLACEHOLDER_PHOTO = "https://lh3.googleusercontent.com/cm/placeholder";

interface SyncCursor {
  u: string;
  g: number;
  s: number;
  /** When the full sync that started this chain ran. */
  t: number;
  f: string;
}

interface PageCursor {
  o: number;
  snap: number;
  since?: number;
  f: string;
}

function owner(request: SimRequest, context: RouteContext): { user: SimUser; store: UserContacts } {
  const token = authenticated(request, context);
  requireScope(token, CONTACT_SCOPES);
  const user = token.subject ? context.tenant.directory.findActive(token.subject) : undefined;
  if (!user)
    throw apiError(403, "forbidden", "The caller does not have permission", { status: "PERMISSION_DENIED" });
  return { user, store: context.tenant.contacts.of(user.id) };
}

function fieldMetadata(contact: StoredContact, primary: boolean) {
  return {
    ...(primary ? { primary: true } : {}),
    source: { type: "CONTACT", id: contact.resourceName.slice(8) },
  };
}

function canonical(value: string): string | undefined {
  const digits = value.replace(/[\s().-]/g, "");
  return /^\+\d{6,15}$/.test(digits) ? digits : undefined;
}

function personResource(
  contact: StoredContact,
  store: UserContacts,
  fields: Set<string>,
): Record<string, unknown> {
  const metadata = {
    sources: [
      {
        type: "CONTACT",
        id: contact.resourceName.slice(8),
        etag: `#${contact.etag}`,
        updateTime: contact.updateTime,
      },
    ],
    objectType: "PERSON",
    ...(contact.deleted ? { deleted: true } : {}),
  };
  if (contact.deleted) return { resourceName: contact.resourceName, etag: `%${contact.etag}`, metadata };
  const displayName = [contact.givenName, contact.familyName].filter(Boolean).join(" ");
  const all: Record<string, unknown> = {
    metadata,
    names: displayName
      ? [
          {
            metadata: fieldMetadata(contact, true),
            displayName,
            familyName: contact.familyName,
            givenName: contact.givenName,
            displayNameLastFirst: [contact.familyName, contact.givenName].filter(Boolean).join(", "),
            unstructuredName: displayName,
          },
        ]
      : undefined,
    organizations:
      contact.company || contact.jobTitle || contact.department
        ? [
            {
              metadata: fieldMetadata(contact, true),
              name: contact.company,
              title: contact.jobTitle,
              department: contact.department,
            },
          ]
        : undefined,
    phoneNumbers: contact.phones.length
      ? contact.phones.map((p, i) => ({
          metadata: fieldMetadata(contact, i === 0),
          value: p.value,
          canonicalForm: canonical(p.value),
          type: p.type,
          formattedType: p.type ? p.type.charAt(0).toUpperCase() + p.type.slice(1) : undefined,
        }))
      : undefined,
    emailAddresses: contact.emails.length
      ? contact.emails.map((e, i) => ({
          metadata: fieldMetadata(contact, i === 0),
          value: e.value,
          type: e.type,
        }))
      : undefined,
    photos: [
      contact.photoUrl
        ? { metadata: fieldMetadata(contact, true), url: contact.photoUrl }
        : { metadata: fieldMetadata(contact, true), url: PLACEHOLDER_PHOTO, default: true },
    ],
    memberships: ["myContacts", ...contact.labelIds]
      .map((id) => store.labels.get(id))
      .filter((label): label is StoredLabel => label !== undefined)
      .map((label) => ({
        metadata: { source: { type: "CONTACT", id: contact.resourceName.slice(8) } },
        contactGroupMembership: {
          contactGroupId: label.id,
          contactGroupResourceName: `contactGroups/${label.id}`,
        },
      })),
  };
  const out: Record<string, unknown> = { resourceName: contact.resourceName, etag: `%${contact.etag}` };
  for (const field of fields) if (all[field] !== undefined) out[field] = all[field];
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

function parsePersonFields(value: string | undefined): Set<string> {
  if (!value) {
    throw apiError(
      400,
      "badRequest",
      "personFields mask is required. Please specify one or more valid paths.",
      {
        status: "INVALID_ARGUMENT",
      },
    );
  }
  const fields = new Set(value.split(",").map((f) => f.trim()));
  for (const field of fields) {
    if (!PERSON_FIELDS.has(field)) {
      throw apiError(400, "badRequest", `Invalid personFields mask path: "${field}".`, {
        status: "INVALID_ARGUMENT",
      });
    }
  }
  return fields;
}

const SORT_ORDERS: Record<string, (a: StoredContact, b: StoredContact) => number> = {
  LAST_MODIFIED_ASCENDING: (a, b) => a.seq - b.seq,
  LAST_MODIFIED_DESCENDING: (a, b) => b.seq - a.seq,
  FIRST_NAME_ASCENDING: (a, b) => (a.givenName ?? "").localeCompare(b.givenName ?? "") || a.seq - b.seq,
  LAST_NAME_ASCENDING: (a, b) => (a.familyName ?? "").localeCompare(b.familyName ?? "") || a.seq - b.seq,
};

function contactOrder(sortOrder: string | undefined): (a: StoredContact, b: StoredContact) => number {
  const order = SORT_ORDERS[sortOrder ?? "LAST_MODIFIED_ASCENDING"];
  if (!order) {
    throw apiError(400, "badRequest", `Invalid value at 'sort_order' (${sortOrder})`, {
      status: "INVALID_ARGUMENT",
      parameter: "sortOrder",
    });
  }
  return order;
}

/**
 * Contacts in the simulator are plain contacts (no merged profile data), so CONTACT and PROFILE (the
 * default pair) read the same; domain and other contacts are not implemented.
 */
function checkSources(sources: string[]): void {
  for (const source of sources) {
    if (source === "READ_SOURCE_TYPE_CONTACT" || source === "READ_SOURCE_TYPE_PROFILE") continue;
    if (source === "READ_SOURCE_TYPE_DOMAIN_CONTACT" || source === "READ_SOURCE_TYPE_OTHER_CONTACT") {
      throw notImplemented("sources", `=${source}`);
    }
    throw apiError(400, "badRequest", `Invalid value at 'sources' (${source})`, {
      status: "INVALID_ARGUMENT",
      parameter: "sources",
    });
  }
}

const GROUP_FIELDS = new Set(["clientData", "groupType", "memberCount", "metadata", "name"]);

/** contactGroups.list groupFields; Google's default is metadata, groupType, memberCount and name. */
function parseGroupFields(value: string | undefined): Set<string> {
  if (value === undefined) return new Set(["metadata", "groupType", "memberCount", "name"]);
  const fields = new Set(value.split(",").map((f) => f.trim()));
  for (const field of fields) {
    if (!GROUP_FIELDS.has(field)) {
      throw apiError(400, "badRequest", `Invalid groupFields mask path: "${field}".`, {
        status: "INVALID_ARGUMENT",
        parameter: "groupFields",
      });
    }
  }
  return fields;
}

export const peopleRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/v1\/people\/(?<person>[^/]+)\/connections$/,
    operation: "people.connections.list",
    params: {
      implemented: [
        "pageSize",
        "pageToken",
        "personFields",
        "requestSyncToken",
        "sortOrder",
        "sources",
        "syncToken",
      ],
      refused: ["requestMask.includeField"],
    },
    response: "peopleConnections",
    handle(request, context) {
      if (request.params.person !== "me") {
        throw apiError(400, "badRequest", "Only people/me is valid.", { status: "INVALID_ARGUMENT" });
      }
      const { user, store } = owner(request, context);
      const personFields = query(request, "personFields");
      const fields = parsePersonFields(personFields);
      const pageSize = queryInt(request, "pageSize", 1, 1000, 100);
      const syncToken = query(request, "syncToken");
      const pageToken = query(request, "pageToken");
      const requestSyncToken = queryBool(request, "requestSyncToken") === true;
      const order = contactOrder(query(request, "sortOrder"));
      checkSources(request.url.searchParams.getAll("sources"));
      const now = context.tenant.clock.now();

      let since: number | undefined;
      let chainStart = now;
      if (syncToken !== undefined) {
        const cursor = decodeToken<SyncCursor>(syncToken);
        if (!cursor || cursor.u !== user.id) {
          throw apiError(400, "badRequest", "Request contains an invalid argument.", {
            status: "INVALID_ARGUMENT",
          });
        }
        if (cursor.g !== store.generation || now - cursor.t > SYNC_TOKEN_LIFETIME_MS) {
          throw apiError(
            400,
            "failedPrecondition",
            "Sync token is expired. Clear local cache and retry call without the sync token.",
            {
              status: "FAILED_PRECONDITION",
              errorInfo: { reason: "EXPIRED_SYNC_TOKEN", domain: "people.googleapis.com" },
              omitErrors: true,
            },
          );
        }
        if (cursor.f !== personFields) {
          throw apiError(400, "badRequest", "Parameters must match the call that provided the sync token.", {
            status: "INVALID_ARGUMENT",
          });
        }
        since = cursor.s;
        chainStart = cursor.t;
      }

      let page: PageCursor = {
        o: 0,
        snap: context.tenant.contacts.currentSequence,
        since,
        f: personFields ?? "",
      };
      if (pageToken !== undefined) {
        const cursor = decodeToken<PageCursor>(pageToken);
        if (!cursor || cursor.since !== since || cursor.f !== personFields) {
          throw apiError(400, "badRequest", "Parameters must match the call that provided the page token.", {
            status: "INVALID_ARGUMENT",
          });
        }
        page = cursor;
      }

      const contacts = [...store.contacts.values()]
        .filter((c) => (since === undefined ? !c.deleted : c.seq > since))
        .sort(order);
      const slice = contacts.slice(page.o, page.o + pageSize);
      const more = page.o + pageSize < contacts.length;
      return ok(request, {
        connections: slice.map((c) => personResource(c, store, fields)),
        ...(more
          ? { nextPageToken: encodeToken({ ...page, o: page.o + pageSize } satisfies PageCursor) }
          : {}),
        ...(!more && requestSyncToken
          ? {
              nextSyncToken: encodeToken({
                u: user.id,
                g: store.generation,
                s: page.snap,
                t: chainStart,
                f: personFields ?? "",
              } satisfies SyncCursor),
            }
          : {}),
        totalPeople: contacts.length,
        totalItems: contacts.length,
      });
    },
  },
  {
    method: "GET",
    path: /^\/v1\/contactGroups$/,
    operation: "people.contactGroups.list",
    params: { implemented: ["groupFields", "pageSize", "pageToken"], refused: ["syncToken"] },
    response: "peopleContactGroups",
    handle(request, context) {
      const { store } = owner(request, context);
      const groupFields = parseGroupFields(query(request, "groupFields"));
      const pageSize = queryInt(request, "pageSize", 1, 1000, 30);
      const pageToken = query(request, "pageToken");
      const offset = pageToken ? (decodeToken<{ o: number }>(pageToken)?.o ?? 0) : 0;
      const labels = [...store.labels.values()];
      const members = (label: StoredLabel) =>
        [...store.contacts.values()].filter(
          (c) => !c.deleted && (label.id === "myContacts" || c.labelIds.includes(label.id)),
        ).length;
      const slice = labels.slice(offset, offset + pageSize);
      return ok(request, {
        contactGroups: slice.map((label) => {
          const all: Record<string, unknown> = {
            metadata: { updateTime: new Date(context.tenant.clock.now()).toISOString() },
            groupType: label.groupType,
            name: label.name,
            formattedName:
              label.groupType === "SYSTEM_CONTACT_GROUP" ? label.name.replace(/^my/, "My ") : label.name,
            memberCount: members(label),
          };
          const group: Record<string, unknown> = {
            resourceName: `contactGroups/${label.id}`,
            etag: `"${label.id}"`,
          };
          for (const field of groupFields) {
            if (all[field] !== undefined) group[field] = all[field];
            // formattedName comes with name, as Google returns it.
            if (field === "name") group.formattedName = all.formattedName;
          }
          return group;
        }),
        totalItems: labels.length,
        ...(offset + pageSize < labels.length
          ? { nextPageToken: encodeToken({ o: offset + pageSize }) }
          : {}),
        nextSyncToken: encodeToken({ s: context.tenant.contacts.currentSequence }),
      });
    },
  },
];
