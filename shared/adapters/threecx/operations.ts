/**
 * The XAPI operations gw3cx calls, by the spec's operationId: the only requests the client can
 * make. There is deliberately no DELETE of a user here (gw3cx disables, never deletes), and
 * paths are built only from these templates, so no request outside the spec can leave the client.
 * A contract test checks this table against the official spec.
 */
export const XAPI_OPERATIONS = {
  ListUser: { method: "GET", path: "/Users" },
  GetUser: { method: "GET", path: "/Users({Id})" },
  GetUserByNumber: { method: "GET", path: "/Users(Number={Number})" },
  CreateUser: { method: "POST", path: "/Users" },
  UpdateUser: { method: "PATCH", path: "/Users({Id})" },
  ListGroups: { method: "GET", path: "/Users({Id})/Groups" },
  ListForwardingProfiles: { method: "GET", path: "/Users({Id})/ForwardingProfiles" },
  GetFirstAvailableExtensionNumber: { method: "GET", path: "/Users/Pbx.GetFirstAvailableExtensionNumber()" },
  ListGroup: { method: "GET", path: "/Groups" },
  ListPeer: { method: "GET", path: "/Peers" },
  GetContactsByNumber: { method: "GET", path: "/Contacts/Pbx.GetContactsByNumber(number={number})" },
  CreateContactByNumber: { method: "POST", path: "/Contacts/Pbx.CreateContactByNumber" },
  UpdateContact: { method: "PATCH", path: "/Contacts({Id})" },
  DeleteContactsById: { method: "POST", path: "/Contacts/Pbx.DeleteContactsById" },
  GetSystemStatus: { method: "GET", path: "/SystemStatus" },
  GetGoogleSettings: { method: "GET", path: "/GoogleSettings" },
  UpdateGoogleSettings: { method: "PATCH", path: "/GoogleSettings" },
  GetMailSettings: { method: "GET", path: "/MailSettings" },
  UpdateMailSettings: { method: "PATCH", path: "/MailSettings" },
  GetRemoteArchivingSettings: { method: "GET", path: "/RemoteArchivingSettings" },
  UpdateRemoteArchivingSettings: { method: "PATCH", path: "/RemoteArchivingSettings" },
  GetVoicemailSettings: { method: "GET", path: "/VoicemailSettings" },
  UpdateVoicemailSettings: { method: "PATCH", path: "/VoicemailSettings" },
} as const satisfies Record<string, { method: "GET" | "POST" | "PATCH"; path: string }>;

export type XapiOperationId = keyof typeof XAPI_OPERATIONS;

/** Path parameters: integer keys as numbers, everything else as OData string literals. */
export type PathParams = Record<string, number | string>;

/** OData string literal: single quotes, a quote inside doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function buildPath(operation: XapiOperationId, params: PathParams = {}): string {
  return XAPI_OPERATIONS[operation].path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operation}: path parameter ${name} is missing`);
    if (typeof value === "number") {
      if (!Number.isInteger(value)) throw new Error(`${operation}: ${name} must be an integer`);
      return String(value);
    }
    return encodeURIComponent(odataString(value));
  });
}

/** OData query options the client uses. */
export interface ODataQueryOptions {
  $filter?: string;
  $select?: readonly string[];
  $expand?: readonly string[];
  $top?: number;
  $skip?: number;
  $count?: boolean;
}

export function buildQuery(options: ODataQueryOptions = {}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    parts.push(`${key}=${encodeURIComponent(text)}`);
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

/** An enum member qualified by its type, e.g. Pbx.PeerType'Queue'. */
export interface ODataEnumValue {
  enumType: string;
  member: string;
}

const literal = (value: string | number | boolean | ODataEnumValue) =>
  typeof value === "string"
    ? odataString(value)
    : typeof value === "object"
      ? `${value.enumType}${odataString(value.member)}`
      : String(value);

/** Builders for the $filter subset the client uses; values are always quoted literals. */
export const odataFilter = {
  eq: (property: string, value: string | number | boolean | ODataEnumValue) =>
    `${property} eq ${literal(value)}`,
  ne: (property: string, value: string | number | boolean | ODataEnumValue) =>
    `${property} ne ${literal(value)}`,
  eqIgnoreCase: (property: string, value: string) =>
    `tolower(${property}) eq ${odataString(value.toLowerCase())}`,
  and: (clauses: readonly string[]) => clauses.join(" and "),
};
