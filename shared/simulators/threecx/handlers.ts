/**
 * What each simulated operation does, keyed by the spec's operationId. Requests reach a handler
 * only after the path, query and body passed spec validation.
 */

import { notImplemented, SimError } from "./odata/odata-error.js";
import type { ExpandItem, ODataQuery, OrderKey } from "./odata/query.js";
import { checkSettingsRules } from "./settings-rules.js";
import type { SpecOperation, XapiSpec } from "./spec/spec-validator.js";
import { type DnRecord, type Entity, type PbxState, SETTINGS_NAMES, type SettingsName } from "./state.js";

export interface HandlerContext {
  op: SpecOperation;
  spec: XapiSpec;
  state: PbxState;
  params: Record<string, string | number>;
  query: ODataQuery;
  body: unknown;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
}

type Handler = (ctx: HandlerContext) => HandlerResult;

/** Navigation properties the simulator can expand, by entity type. */
const NAVIGATION: Record<string, Record<string, (state: PbxState, entity: Entity) => unknown>> = {
  "Pbx.User": {
    Groups: (state, user) => state.userGroups(user.Id as number),
    ForwardingProfiles: (state, user) => state.profiles.get(user.Id as number) ?? [],
  },
};

/** Shapes an entity for the response: $select, $expand (nested too), navigation properties left out otherwise. */
function project(
  ctx: HandlerContext,
  typeName: string,
  entity: Entity,
  shape: { select?: string[] | undefined; expand?: ExpandItem[] | undefined },
): Entity {
  const properties = ctx.spec.entityProperties(typeName);
  const out: Entity = {};
  // $select names a handful of properties out of a hundred: walk the shorter list.
  for (const key of shape.select ?? Object.keys(entity)) {
    if (!(key in entity) || properties.get(key)?.navigation) continue;
    out[key] = entity[key];
  }
  for (const item of shape.expand ?? []) {
    const property = properties.get(item.name);
    const resolve = NAVIGATION[typeName]?.[item.name];
    const value = resolve ? resolve(ctx.state, entity) : entity[item.name];
    if (value === undefined) throw notImplemented("$expand", `expanding ${typeName}.${item.name}`);
    const nested = property?.refType;
    const inner = { select: item.select, expand: item.expand };
    out[item.name] =
      nested && Array.isArray(value)
        ? value.map((element: Entity) => project(ctx, nested, element, inner))
        : nested && value !== null && typeof value === "object"
          ? project(ctx, nested, value as Entity, inner)
          : structuredClone(value);
  }
  return out;
}

/** Top-level shape of the request: its $select and $expand. */
const topShape = (ctx: HandlerContext) => ({ select: ctx.query.select, expand: ctx.query.expand });

/** $orderby as the server sorts: null lowest, then by value; a stable sort keeps ties in Id order. */
function compareBy(keys: readonly OrderKey[]): (a: Entity, b: Entity) => number {
  return (a, b) => {
    for (const { property, descending } of keys) {
      const left = a[property] ?? null;
      const right = b[property] ?? null;
      if (left === right) continue;
      const order =
        left === null
          ? -1
          : right === null
            ? 1
            : (left as string | number) < (right as string | number)
              ? -1
              : 1;
      return descending ? -order : order;
    }
    return 0;
  };
}

/**
 * A page of a collection. `view` turns a stored entity into what the collection shows (a Peer of a
 * DN, say); it is applied to the page only, so filters must name properties the stored entity has
 * under the same name.
 */
function collection<T extends object = Entity>(
  ctx: HandlerContext,
  items: Iterable<T>,
  view: (item: T) => Entity = (item) => item as Entity,
): HandlerResult {
  const typeName = ctx.op.entityType as string;
  const { filter, skip = 0, top } = ctx.query;
  const matching: T[] = [];
  for (const item of items) if (!filter || filter(item as Entity)) matching.push(item);
  if (ctx.query.orderby) matching.sort((a, b) => compareBy(ctx.query.orderby ?? [])(view(a), view(b)));
  const page = matching.slice(skip, top === undefined ? undefined : skip + top);
  const body: Entity = {};
  if (ctx.query.count) body["@odata.count"] = matching.length;
  body.value = page.map((item) => project(ctx, typeName, view(item), topShape(ctx)));
  return { status: 200, body };
}

function single(ctx: HandlerContext, entity: Entity | undefined, what: string): HandlerResult {
  if (!entity) throw new SimError(404, "notFound", `${what} not found`);
  return { status: 200, body: project(ctx, ctx.op.entityType as string, entity, topShape(ctx)) };
}

function userOf(ctx: HandlerContext): Entity {
  const id = ctx.params.Id as number;
  const user = ctx.state.userById(id);
  if (!user) throw new SimError(404, "notFound", `no user with Id ${id}`);
  return user;
}

/** Concealed secrets are never read back: the PBX shows only that one is set. */
function conceal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(conceal);
  if (value === null || typeof value !== "object") return value;
  const entity = value as Entity;
  if ("Concealed" in entity && ("Value" in entity || "Contents" in entity)) {
    const secret = entity.Value ?? entity.Contents;
    const isSet = secret !== null && secret !== undefined && secret !== "";
    return "Value" in entity
      ? { Concealed: isSet, Value: null }
      : { Concealed: isSet, Contents: null, Name: entity.Name ?? null };
  }
  return Object.fromEntries(Object.entries(entity).map(([key, item]) => [key, conceal(item)]));
}

function settingsHandlers(name: SettingsName): Record<string, Handler> {
  return {
    [`Get${name}`]: (ctx) => single(ctx, conceal(ctx.state.settings[name]) as Entity, name),
    [`Update${name}`]: (ctx) => {
      const patch = (ctx.body ?? {}) as Entity;
      // Secrets sent back concealed (Value null) keep the stored secret, as the admin console does.
      const current = ctx.state.settings[name];
      const next = structuredClone(current);
      mergeKeepingSecrets(next, patch);
      checkSettingsRules(name, current, patch, next);
      ctx.state.settings[name] = next;
      return { status: 204 };
    },
  };
}

function mergeKeepingSecrets(target: Entity, patch: Entity): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("@odata.")) continue;
    const current = target[key];
    const isObject = (v: unknown): v is Entity => typeof v === "object" && v !== null && !Array.isArray(v);
    if (isObject(value) && isObject(current)) {
      const concealedEcho = "Concealed" in value && (value.Value ?? value.Contents ?? null) === null;
      if (!concealedEcho) mergeKeepingSecrets(current, value);
    } else {
      target[key] = structuredClone(value);
    }
  }
}

export const HANDLERS: Record<string, Handler> = {
  ListUser: (ctx) => collection(ctx, ctx.state.users.values()),
  GetUser: (ctx) => single(ctx, ctx.state.userById(ctx.params.Id as number), `user ${ctx.params.Id}`),
  GetUserByNumber: (ctx) =>
    single(ctx, ctx.state.userByNumber(String(ctx.params.Number)), `user ${ctx.params.Number}`),
  CreateUser: (ctx) => {
    const user = ctx.state.createUser(ctx.body as Entity);
    return { status: 201, body: project(ctx, "Pbx.User", user, {}) };
  },
  UpdateUser: (ctx) => {
    ctx.state.updateUser(ctx.params.Id as number, ctx.body as Entity);
    return { status: 204 };
  },
  HasDuplicatedEmail: (ctx) => ({
    status: 200,
    body: { value: ctx.state.hasDuplicatedEmail(userOf(ctx).Id as number) },
  }),
  // The spec leaves the meaning undocumented; read as: of the given emails, those more than one user holds.
  GetDuplicatedEmails: (ctx) => {
    const { emails } = (ctx.body ?? {}) as { emails?: string[] };
    if (emails === undefined) {
      throw new SimError(400, "rule", "emails is required", {
        code: "WARNINGS.XAPI.REQUIRED",
        target: "emails",
      });
    }
    const duplicated = emails.filter((email) => ctx.state.usersWithEmail(email).length > 1);
    return { status: 200, body: { value: duplicated } };
  },
  ListGroups: (ctx) => collection(ctx, ctx.state.userGroups(userOf(ctx).Id as number)),
  ListForwardingProfiles: (ctx) => collection(ctx, ctx.state.profiles.get(userOf(ctx).Id as number) ?? []),
  GetFirstAvailableExtensionNumber: (ctx) => ({
    status: 200,
    body: { Number: ctx.state.firstAvailableExtensionNumber() },
  }),
  ListGroup: (ctx) => collection(ctx, ctx.state.groups.values()),
  ListPeer: (ctx) =>
    collection(ctx, ctx.state.dns.values(), (dn: DnRecord) => ({
      Id: dn.Id,
      Number: dn.Number,
      Name: dn.Name,
      Type: dn.Type,
    })),
  GetSystemStatus: (ctx) => {
    // The simulator knows only the version of the PBX: anything else asked for is refused, not made up.
    const asked = ctx.query.select ?? [];
    if (asked.length === 0 || asked.some((name) => name !== "Version")) {
      throw notImplemented("$select", "SystemStatus other than $select=Version");
    }
    return single(ctx, { Version: ctx.state.version }, "system status");
  },
  GetContactsByNumber: (ctx) => collection(ctx, ctx.state.contactsOf(String(ctx.params.number))),
  CreateContactByNumber: (ctx) => {
    const { number, contact } = ctx.body as { number?: string; contact?: Entity };
    if (number === undefined || contact === undefined) {
      throw new SimError(400, "rule", "both number and contact are required", {
        code: "WARNINGS.XAPI.REQUIRED",
        target: number === undefined ? "number" : "contact",
      });
    }
    return { status: 200, body: ctx.state.createContact(number, contact) };
  },
  GetContact: (ctx) =>
    single(ctx, ctx.state.contactById(ctx.params.Id as number), `contact ${ctx.params.Id}`),
  UpdateContact: (ctx) => {
    ctx.state.updateContact(ctx.params.Id as number, (ctx.body ?? {}) as Entity);
    return { status: 204 };
  },
  DeleteContactsById: (ctx) => {
    const { ids } = ctx.body as { ids?: number[] };
    ctx.state.deleteContacts(ids ?? []);
    return { status: 204 };
  },
  ...Object.assign({}, ...SETTINGS_NAMES.map(settingsHandlers)),
};
