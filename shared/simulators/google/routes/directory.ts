import { requireScope } from "../auth-state.js";
import type { ChannelRequest } from "../channels.js";
import { userQueryFilter } from "../directory-query.js";
import type { SimUser } from "../directory-state.js";
import {
  authenticated,
  decodeToken,
  encodeToken,
  jsonBody,
  ok,
  query,
  queryBool,
  queryInt,
  type Route,
  type RouteContext,
  type SimRequest,
} from "../http-kit.js";
import { apiError, notImplemented } from "../wire.js";

const USER_SCOPES = [
  "https://www.googleapis.com/auth/admin.directory.user",
  "https://www.googleapis.com/auth/admin.directory.user.readonly",
  "https://www.googleapis.com/auth/cloud-platform",
];
const MEMBER_SCOPES = [
  "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
  "https://www.googleapis.com/auth/admin.directory.group.member",
  "https://www.googleapis.com/auth/admin.directory.group.readonly",
  "https://www.googleapis.com/auth/admin.directory.group",
];
const USER_EVENTS = new Set(["add", "delete", "update", "undelete", "makeAdmin"]);
/** No maximum is documented for Directory channels; six hours is what the simulator grants by default. */
const DIRECTORY_DEFAULT_TTL_SECONDS = 6 * 3600;

/** Directory calls need a token for an admin of the tenant. */
function asAdmin(request: SimRequest, context: RouteContext, scopes: readonly string[]): void {
  const token = authenticated(request, context);
  requireScope(token, scopes);
  const subject = token.subject ? context.tenant.directory.findActive(token.subject) : undefined;
  if (!subject?.isAdmin) throw apiError(403, "forbidden", "Not Authorized to access this resource/api");
}

function requireCustomer(request: SimRequest, context: RouteContext): void {
  const customer = query(request, "customer");
  const domain = query(request, "domain");
  if (!customer && !domain) throw apiError(400, "badRequest", "Bad Request");
  if (customer && customer !== "my_customer" && customer !== context.tenant.customerId) {
    throw apiError(400, "badRequest", "Bad Request");
  }
  if (domain && domain !== context.tenant.domain)
    throw apiError(403, "forbidden", "Not Authorized to access this resource/api");
}

export function userResource(user: SimUser, context: RouteContext): Record<string, unknown> {
  return {
    kind: "admin#directory#user",
    id: user.id,
    etag: user.etag,
    primaryEmail: user.primaryEmail,
    name: {
      givenName: user.givenName,
      familyName: user.familyName,
      fullName: `${user.givenName} ${user.familyName}`.trim(),
    },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    creationTime: user.creationTime,
    agreedToTerms: true,
    suspended: user.suspended,
    ...(user.suspended ? { suspensionReason: "ADMIN" } : {}),
    archived: user.archived,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [{ address: user.primaryEmail, primary: true }],
    ...(user.phones.length > 0 ? { phones: user.phones } : {}),
    ...(user.organizations.length > 0 ? { organizations: user.organizations } : {}),
    customerId: context.tenant.customerId,
    orgUnitPath: user.orgUnitPath,
    isMailboxSetup: true,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
    ...(user.photo
      ? {
          thumbnailPhotoUrl: `${context.baseUrl}/_sim/photos/${user.id}`,
          thumbnailPhotoEtag: user.photo.etag,
        }
      : {}),
    ...(user.deletionTime ? { deletionTime: user.deletionTime } : {}),
  };
}

const USER_LIST_PARAMS = [
  "customer",
  "customFieldMask",
  "domain",
  "maxResults",
  "orderBy",
  "pageToken",
  "projection",
  "query",
  "showDeleted",
  "sortOrder",
  "viewType",
];
const ORDER_KEYS: Record<string, (user: SimUser) => string> = {
  email: (u) => u.primaryEmail,
  givenName: (u) => u.givenName.toLowerCase(),
  familyName: (u) => u.familyName.toLowerCase(),
};

/**
 * projection and viewType as Google checks them. The simulated users have no custom schemas, so
 * basic, full and custom (with its customFieldMask) return the same fields; domain_public, the
 * directory as a non-admin sees it, is not implemented.
 */
function checkProjection(request: SimRequest): void {
  const projection = query(request, "projection") ?? "basic";
  if (!["basic", "full", "custom"].includes(projection)) {
    throw apiError(400, "invalidParameter", `Invalid value for projection: ${projection}`, {
      parameter: "projection",
    });
  }
  const mask = query(request, "customFieldMask");
  if (projection === "custom" && !mask) {
    throw apiError(400, "invalidInput", "Invalid Input: customFieldMask is required for projection custom", {
      parameter: "customFieldMask",
    });
  }
  if (mask !== undefined && projection !== "custom") {
    throw apiError(400, "invalidInput", "Invalid Input: customFieldMask needs projection custom", {
      parameter: "customFieldMask",
    });
  }
  const viewType = query(request, "viewType") ?? "admin_view";
  if (viewType === "domain_public") throw notImplemented("viewType", "=domain_public");
  if (viewType !== "admin_view") {
    throw apiError(400, "invalidParameter", `Invalid value for viewType: ${viewType}`, {
      parameter: "viewType",
    });
  }
}

/** The listing order: by email (default) or name, ascending unless sortOrder says otherwise. */
function userOrder(request: SimRequest): { key: string; descending: boolean } {
  const key = query(request, "orderBy") ?? "email";
  if (!ORDER_KEYS[key]) {
    throw apiError(400, "invalidParameter", `Invalid value for orderBy: ${key}`, { parameter: "orderBy" });
  }
  const sortOrder = query(request, "sortOrder");
  if (sortOrder !== undefined && sortOrder !== "ASCENDING" && sortOrder !== "DESCENDING") {
    throw apiError(400, "invalidParameter", `Invalid value for sortOrder: ${sortOrder}`, {
      parameter: "sortOrder",
    });
  }
  return { key, descending: sortOrder === "DESCENDING" };
}

/** Position of a user in an ordering: its key, then its email to break ties. */
function positionOf(user: SimUser, key: string): string {
  return `${(ORDER_KEYS[key] as (u: SimUser) => string)(user)}\u0000${user.primaryEmail}`;
}

function lowerBound(users: SimUser[], email: string): number {
  let lo = 0;
  let hi = users.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((users[mid] as SimUser).primaryEmail <= email) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface UserCursor {
  after: string;
  q?: string;
  d?: boolean;
  /** orderBy and sortOrder the listing started with. */
  o?: string;
}

function parseChannelBody(request: SimRequest): ChannelRequest {
  return jsonBody<ChannelRequest>(request);
}

export const directoryRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/admin\/directory\/v1\/users$/,
    operation: "directory.users.list",
    params: { implemented: USER_LIST_PARAMS, refused: ["event"] },
    response: "directoryUsers",
    handle(request, context) {
      asAdmin(request, context, USER_SCOPES);
      requireCustomer(request, context);
      checkProjection(request);
      const maxResults = queryInt(request, "maxResults", 1, 500, 100);
      const showDeleted = queryBool(request, "showDeleted") === true;
      const q = query(request, "query");
      const order = userOrder(request);
      const orderTag = `${order.key}:${order.descending ? "d" : "a"}`;
      const pageToken = query(request, "pageToken");
      const cursor = pageToken ? decodeToken<UserCursor>(pageToken) : undefined;
      if (
        pageToken &&
        (!cursor || cursor.q !== q || cursor.d !== showDeleted || (cursor.o ?? "email:a") !== orderTag)
      ) {
        throw apiError(400, "invalid", "Invalid page token");
      }
      const filter = userQueryFilter(q);
      const byEmail = context.tenant.directory.sorted(showDeleted);
      const page: SimUser[] = [];
      let all: SimUser[];
      let index: number;
      let cursorKey: (user: SimUser) => string;
      if (orderTag === "email:a") {
        // The common case pages 10,000 users by binary search on the email-sorted list.
        all = byEmail;
        index = cursor ? lowerBound(all, cursor.after) : 0;
        cursorKey = (u) => u.primaryEmail;
      } else {
        const sign = order.descending ? -1 : 1;
        all = [...byEmail].sort(
          (a, b) => sign * (positionOf(a, order.key) < positionOf(b, order.key) ? -1 : 1),
        );
        cursorKey = (u) => positionOf(u, order.key);
        const after = cursor?.after;
        index =
          after === undefined
            ? 0
            : all.findIndex((u) => (order.descending ? cursorKey(u) < after : cursorKey(u) > after));
        if (index < 0) index = all.length;
      }
      for (; index < all.length && page.length < maxResults; index++) {
        const user = all[index] as SimUser;
        if (filter(user)) page.push(user);
      }
      while (index < all.length && !filter(all[index] as SimUser)) index++;
      const last = page[page.length - 1];
      const nextPageToken =
        index < all.length && last
          ? encodeToken({ after: cursorKey(last), q, d: showDeleted, o: orderTag } satisfies UserCursor)
          : undefined;
      return ok(request, {
        kind: "admin#directory#users",
        etag: `"${context.tenant.customerId}-${all.length}"`,
        users: page.map((u) => userResource(u, context)),
        ...(nextPageToken ? { nextPageToken } : {}),
      });
    },
  },
  {
    method: "POST",
    path: /^\/admin\/directory\/v1\/users\/watch$/,
    operation: "directory.users.watch",
    // Watching a filtered or ordered listing is not implemented: every user of the customer is watched.
    params: {
      implemented: ["customer", "domain", "event"],
      refused: USER_LIST_PARAMS.filter((name) => !["customer", "domain"].includes(name)),
    },
    response: "directoryChannel",
    handle(request, context) {
      asAdmin(request, context, USER_SCOPES);
      requireCustomer(request, context);
      const event = query(request, "event") ?? "";
      if (!USER_EVENTS.has(event)) throw apiError(400, "invalid", `Invalid value for event: ${event}`);
      const resourceUri = `${context.baseUrl}/admin/directory/v1/users?customer=${query(request, "customer") ?? "my_customer"}&event=${event}&alt=json`;
      const channel = context.tenant.channels.open("directory", parseChannelBody(request), {
        resourceUri,
        event,
        defaultTtlSeconds: DIRECTORY_DEFAULT_TTL_SECONDS,
      });
      return ok(request, {
        kind: "api#channel",
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri: channel.resourceUri,
        ...(channel.token === undefined ? {} : { token: channel.token }),
        expiration: String(channel.expirationMs),
      });
    },
  },
  {
    method: "GET",
    path: /^\/admin\/directory\/v1\/users\/(?<userKey>[^/]+)\/photos\/thumbnail$/,
    operation: "directory.users.photos.get",
    params: { implemented: [] },
    response: "directoryUserPhoto",
    handle(request, context) {
      asAdmin(request, context, USER_SCOPES);
      const userKey = request.params.userKey ?? "";
      const user = context.tenant.directory.findActive(userKey);
      if (!user?.photo) throw apiError(404, "notFound", `Resource Not Found: ${user ? "photo" : "userKey"}`);
      const padding = context.tenant.photoPadding;
      return ok(request, {
        kind: "admin#directory#user#photo",
        id: user.id,
        etag: user.photo.etag,
        primaryEmail: user.primaryEmail,
        mimeType: user.photo.mimeType,
        height: user.photo.height,
        width: user.photo.width,
        photoData: user.photo.data
          .toString("base64")
          .replace(/\//g, "_")
          .replace(/\+/g, "-")
          .replace(/=/g, padding),
      });
    },
  },
  {
    method: "GET",
    path: /^\/admin\/directory\/v1\/users\/(?<userKey>[^/]+)$/,
    operation: "directory.users.get",
    params: { implemented: ["customFieldMask", "projection", "viewType"] },
    response: "directoryUser",
    handle(request, context) {
      asAdmin(request, context, USER_SCOPES);
      checkProjection(request);
      const user = context.tenant.directory.findActive(request.params.userKey ?? "");
      if (!user) throw apiError(404, "notFound", "Resource Not Found: userKey");
      return ok(request, userResource(user, context));
    },
  },
  {
    method: "POST",
    path: /^\/admin\/directory_v1\/channels\/stop$/,
    operation: "directory.channels.stop",
    params: { implemented: [] },
    handle(request, context) {
      asAdmin(request, context, USER_SCOPES);
      const body = jsonBody<{ id?: string; resourceId?: string }>(request);
      context.tenant.channels.stop(body.id, body.resourceId);
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: /^\/admin\/directory\/v1\/groups\/(?<groupKey>[^/]+)\/members$/,
    operation: "directory.members.list",
    params: { implemented: ["includeDerivedMembership", "maxResults", "pageToken", "roles"] },
    response: "directoryMembers",
    handle(request, context) {
      asAdmin(request, context, MEMBER_SCOPES);
      const group = context.tenant.directory.findGroup(request.params.groupKey ?? "");
      if (!group) throw apiError(404, "notFound", "Resource Not Found: groupKey");
      const maxResults = queryInt(request, "maxResults", 1, 200, 200);
      const derived = queryBool(request, "includeDerivedMembership") === true;
      const roles = query(request, "roles")
        ?.split(",")
        .map((r) => r.trim().toUpperCase());
      for (const role of roles ?? []) {
        if (!["OWNER", "MANAGER", "MEMBER"].includes(role)) {
          throw apiError(400, "invalidParameter", `Invalid value for roles: ${role}`, { parameter: "roles" });
        }
      }
      const pageToken = query(request, "pageToken");
      const offset = pageToken ? (decodeToken<{ o: number }>(pageToken)?.o ?? 0) : 0;
      const members = context.tenant.directory
        .membersOf(group, derived)
        .filter((m) => !roles || roles.includes(m.role));
      const page = members.slice(offset, offset + maxResults);
      return ok(request, {
        kind: "admin#directory#members",
        etag: `"${group.id}-${members.length}"`,
        members: page.map((m) => {
          const id =
            m.type === "GROUP"
              ? context.tenant.directory.findGroup(m.email)?.id
              : context.tenant.directory.find(m.email)?.id;
          return {
            kind: "admin#directory#member",
            id: id ?? m.email,
            email: m.email,
            role: m.role,
            type: m.type,
            status: "ACTIVE",
          };
        }),
        ...(offset + maxResults < members.length
          ? { nextPageToken: encodeToken({ o: offset + maxResults }) }
          : {}),
      });
    },
  },
  {
    method: "GET",
    path: /^\/admin\/directory\/v1\/groups\/(?<groupKey>[^/]+)\/hasMember\/(?<memberKey>[^/]+)$/,
    operation: "directory.members.hasMember",
    params: { implemented: [] },
    response: "directoryHasMember",
    handle(request, context) {
      asAdmin(request, context, MEMBER_SCOPES);
      const group = context.tenant.directory.findGroup(request.params.groupKey ?? "");
      if (!group) throw apiError(404, "notFound", "Resource Not Found: groupKey");
      const memberKey = request.params.memberKey ?? "";
      const user = context.tenant.directory.find(memberKey);
      const email = (user?.primaryEmail ?? memberKey).toLowerCase();
      const isMember = context.tenant.directory.membersOf(group, true).some((m) => m.email === email);
      return ok(request, { isMember });
    },
  },
];
