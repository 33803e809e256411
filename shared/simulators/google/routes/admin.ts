import type { EventPatch } from "../calendar-state.js";
import type { ContactPatch } from "../contacts-state.js";
import type { UserPatch } from "../directory-state.js";
import type { NotificationFault, RouteFault } from "../faults.js";
import { jsonBody, type Route, type RouteContext, type SimRequest } from "../http-kit.js";
import type { SeedContact, SeedEvent, SeedUser } from "../seed.js";

/**
 * The simulator's own admin API under /_sim: change the tenant during a test from another process.
 * In-process tests call the same operations on `simulator.tenant` directly.
 */
function route(
  method: Route["method"],
  path: RegExp,
  handle: (request: SimRequest, context: RouteContext, body: Record<string, unknown>) => unknown,
): Route {
  return {
    method,
    path,
    operation: "sim.admin",
    handle(request, context) {
      const result = handle(request, context, jsonBody(request));
      return result === undefined ? { status: 204 } : { status: 200, body: result };
    },
  };
}

const p = (request: SimRequest, name: string) => request.params[name] ?? "";

export const adminRoutes: Route[] = [
  route("GET", /^\/_sim\/health$/, () => ({ ok: true })),
  route("POST", /^\/_sim\/users$/, (_r, c, body) => c.tenant.createUser(body as unknown as SeedUser).id),
  route("PATCH", /^\/_sim\/users\/(?<user>[^/]+)$/, (r, c, body) => {
    c.tenant.updateUser(p(r, "user"), body as UserPatch);
  }),
  route("DELETE", /^\/_sim\/users\/(?<user>[^/]+)$/, (r, c) => {
    c.tenant.deleteUser(p(r, "user"));
  }),
  route("POST", /^\/_sim\/users\/(?<user>[^/]+)\/undelete$/, (r, c) => {
    c.tenant.undeleteUser(p(r, "user"));
  }),
  route("PUT", /^\/_sim\/users\/(?<user>[^/]+)\/photo$/, (r, c, body) => {
    const data = typeof body.base64 === "string" ? Buffer.from(body.base64, "base64") : undefined;
    c.tenant.setUserPhoto(p(r, "user"), data, typeof body.mimeType === "string" ? body.mimeType : undefined);
  }),
  route("POST", /^\/_sim\/users\/(?<user>[^/]+)\/events$/, (r, c, body) => ({
    id: c.tenant.addEvent(p(r, "user"), body as unknown as SeedEvent).id,
  })),
  route("PATCH", /^\/_sim\/users\/(?<user>[^/]+)\/events\/(?<event>[^/]+)$/, (r, c, body) => {
    c.tenant.updateEvent(p(r, "user"), p(r, "event"), body as EventPatch);
  }),
  route("POST", /^\/_sim\/users\/(?<user>[^/]+)\/events\/(?<event>[^/]+)\/response$/, (r, c, body) => {
    c.tenant.respondToEvent(p(r, "user"), p(r, "event"), String(body.responseStatus ?? ""));
  }),
  route("DELETE", /^\/_sim\/users\/(?<user>[^/]+)\/events\/(?<event>[^/]+)$/, (r, c) => {
    c.tenant.deleteEvent(p(r, "user"), p(r, "event"));
  }),
  route("POST", /^\/_sim\/users\/(?<user>[^/]+)\/calendar\/invalidate-sync-tokens$/, (r, c) => {
    c.tenant.invalidateCalendarSyncTokens(p(r, "user"));
  }),
  route("POST", /^\/_sim\/users\/(?<user>[^/]+)\/contacts$/, (r, c, body) => ({
    resourceName: c.tenant.addContact(p(r, "user"), body as SeedContact).resourceName,
  })),
  route("PATCH", /^\/_sim\/users\/(?<user>[^/]+)\/contacts\/(?<contact>[^/]+)$/, (r, c, body) => {
    c.tenant.updateContact(p(r, "user"), `people/${p(r, "contact")}`, body as ContactPatch);
  }),
  route("DELETE", /^\/_sim\/users\/(?<user>[^/]+)\/contacts\/(?<contact>[^/]+)$/, (r, c) => {
    c.tenant.deleteContact(p(r, "user"), `people/${p(r, "contact")}`);
  }),
  route("DELETE", /^\/_sim\/users\/(?<user>[^/]+)\/labels\/(?<label>[^/]+)$/, (r, c) => {
    c.tenant.deleteContactLabel(p(r, "user"), decodeURIComponent(p(r, "label")));
  }),
  route("POST", /^\/_sim\/users\/(?<user>[^/]+)\/contacts\/expire-sync-tokens$/, (r, c) => {
    c.tenant.expirePeopleSyncTokens(p(r, "user"));
  }),
  route("POST", /^\/_sim\/groups\/(?<group>[^/]+)\/members$/, (r, c, body) => {
    c.tenant.directory.addGroupMember(p(r, "group"), body as { email: string });
  }),
  route("DELETE", /^\/_sim\/groups\/(?<group>[^/]+)\/members\/(?<member>[^/]+)$/, (r, c) => {
    c.tenant.directory.removeGroupMember(p(r, "group"), p(r, "member"));
  }),
  route("POST", /^\/_sim\/faults$/, (_r, c, body) => {
    c.tenant.faults.addRouteFault(body as unknown as RouteFault);
  }),
  route("POST", /^\/_sim\/notification-faults$/, (_r, c, body) => {
    c.tenant.faults.addNotificationFault(body as unknown as NotificationFault);
  }),
  route("DELETE", /^\/_sim\/faults$/, (_r, c) => {
    c.tenant.faults.clear();
  }),
  route("POST", /^\/_sim\/clock\/advance$/, (_r, c, body) => {
    c.tenant.clock.advance(Number(body.ms ?? 0));
  }),
  route("GET", /^\/_sim\/mail$/, (_r, c) =>
    c.tenant.sentMail.map((m) => ({ id: m.id, sender: m.sender, headers: m.headers, bytes: m.raw.length })),
  ),
  route("GET", /^\/_sim\/deliveries$/, (_r, c) => c.tenant.channels.deliveries),
];
