/**
 * Parses and checks the query string of one request: first against the operation's parameters
 * in the spec (names, types, minimums), then the OData meaning ($select names must be
 * properties of the entity, $expand names navigation properties, $filter must parse).
 */

import type { EntityProperty, SpecOperation, XapiSpec } from "../spec/spec-validator.js";
import { compileFilter, type EntityPredicate, FilterSyntaxError } from "./filter.js";
import { notImplemented, specViolation } from "./odata-error.js";

export interface ODataQuery {
  top?: number;
  skip?: number;
  filter?: EntityPredicate;
  select?: string[];
  expand?: ExpandItem[];
  /** Sort keys in order of precedence. */
  orderby?: OrderKey[];
  count: boolean;
}

/** One $expand entry, with the options OData allows inside it that the simulator implements. */
export interface ExpandItem {
  name: string;
  select?: string[];
  expand?: ExpandItem[];
}

export interface OrderKey {
  property: string;
  descending: boolean;
}

/** Splits on commas outside parentheses and quotes: Groups($select=A,B),Phones -> two items. */
export function splitTopLevel(text: string, separator: "," | ";"): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth--;
    if (ch === separator && depth === 0 && !quoted) {
      items.push(current.trim());
      current = "";
    } else {
      current += ch;
    }
  }
  if (depth !== 0) throw specViolation("$expand", `unbalanced parentheses in '${text}'`);
  items.push(current.trim());
  return items;
}

/** Options that may stand inside $expand(...); those the simulator does not implement are refused. */
const NESTED_OPTIONS = new Set([
  "$select",
  "$expand",
  "$filter",
  "$orderby",
  "$top",
  "$skip",
  "$count",
  "$search",
  "$levels",
]);

function parseExpand(spec: XapiSpec, typeName: string | undefined, items: readonly string[]): ExpandItem[] {
  const properties = typeName ? spec.entityProperties(typeName) : new Map<string, EntityProperty>();
  return items.map((raw) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(raw);
    if (!match) throw specViolation("$expand", `'${raw}' is not a valid $expand item`);
    const [, name, inner] = match as unknown as [string, string, string | undefined];
    const property = properties.get(name);
    if (!property?.navigation) {
      throw specViolation("$expand", `'${name}' is not a navigation property of ${typeName}`);
    }
    const item: ExpandItem = { name };
    if (inner === undefined || inner.trim() === "") return item;
    for (const option of splitTopLevel(inner, ";")) {
      const eq = option.indexOf("=");
      const key = eq < 0 ? option : option.slice(0, eq);
      const value = eq < 0 ? "" : option.slice(eq + 1);
      if (!NESTED_OPTIONS.has(key))
        throw specViolation("$expand", `'${key}' is not a query option (in ${raw})`);
      if (key === "$select") {
        item.select = checkSelect(spec, property.refType, splitTopLevel(value, ","));
      } else if (key === "$expand") {
        item.expand = parseExpand(spec, property.refType, splitTopLevel(value, ","));
      } else {
        throw notImplemented("$expand", `${key} inside $expand (${raw})`);
      }
    }
    return item;
  });
}

function checkSelect(spec: XapiSpec, typeName: string | undefined, names: readonly string[]): string[] {
  const properties = typeName ? spec.entityProperties(typeName) : new Map<string, EntityProperty>();
  for (const name of names) {
    const property = properties.get(name);
    if (!property) throw specViolation("$select", `'${name}' is not a property of ${typeName}`);
    if (property.navigation)
      throw specViolation("$select", `'${name}' is a navigation property: use $expand`);
  }
  return [...names];
}

function parseOrderBy(
  properties: Map<string, EntityProperty>,
  typeName: string | undefined,
  items: readonly string[],
): OrderKey[] {
  return items.map((raw) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/.exec(raw.trim());
    if (!match) {
      if (/[/(]/.test(raw)) throw notImplemented("$orderby", `ordering by a path or expression ('${raw}')`);
      throw specViolation("$orderby", `'${raw}' is not a property name optionally followed by asc or desc`);
    }
    const [, property, direction] = match as unknown as [string, string, string | undefined];
    const described = properties.get(property);
    if (!described) throw specViolation("$orderby", `'${property}' is not a property of ${typeName}`);
    if (described.navigation || described.isArray || described.refType) {
      throw specViolation("$orderby", `'${property}' is not a primitive property: it cannot be ordered by`);
    }
    return { property, descending: direction === "desc" };
  });
}

const EDM_BY_JSON_TYPE: Record<string, string> = {
  string: "Edm.String",
  integer: "Edm.Int32",
  number: "Edm.Double",
  boolean: "Edm.Boolean",
};

function edmTypeOf(property: EntityProperty): string {
  return property.enumType ?? EDM_BY_JSON_TYPE[property.primitive ?? "string"] ?? "Edm.String";
}

export function parseQuery(
  spec: XapiSpec,
  op: SpecOperation,
  search: URLSearchParams,
  maxTop: number,
): ODataQuery {
  const declared = new Map(op.parameters.filter((p) => p.in === "query").map((p) => [p.name, p]));
  const values: Record<string, unknown> = {};
  for (const [name, raw] of search) {
    if (name in values) throw specViolation(name, `query option ${name} is given more than once`);
    const param = declared.get(name);
    const type = param?.schema.type;
    if (type === "integer") values[name] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    else if (type === "boolean") values[name] = raw === "true" ? true : raw === "false" ? false : raw;
    else if (type === "array") values[name] = raw === "" ? [] : splitTopLevel(raw, ",");
    else values[name] = raw;
  }
  const violation = spec.checkParameters(op, "query", values);
  if (violation) throw specViolation(violation.target, violation.message, violation.code);
  // $search has no defined meaning for this API (OData leaves it to the service): refused, not guessed.
  if ("$search" in values) throw notImplemented("$search", "$search");

  const properties = op.entityType ? spec.entityProperties(op.entityType) : new Map<string, EntityProperty>();
  const query: ODataQuery = { count: values.$count === true };
  if (typeof values.$top === "number") {
    if (values.$top > maxTop) {
      throw specViolation("$top", `the limit of ${maxTop} for $top is exceeded (asked for ${values.$top})`);
    }
    query.top = values.$top;
  }
  if (typeof values.$skip === "number") query.skip = values.$skip;
  if (Array.isArray(values.$select))
    query.select = checkSelect(spec, op.entityType, values.$select as string[]);
  if (Array.isArray(values.$expand))
    query.expand = parseExpand(spec, op.entityType, values.$expand as string[]);
  if (Array.isArray(values.$orderby)) {
    query.orderby = parseOrderBy(properties, op.entityType, values.$orderby as string[]);
  }
  if (typeof values.$filter === "string") {
    const filterable = (name: string) => {
      const property = properties.get(name);
      if (!property || property.navigation || property.isArray || property.refType) return undefined;
      return edmTypeOf(property);
    };
    try {
      query.filter = compileFilter(values.$filter, filterable, op.entityType, (type) =>
        spec.enumMembers(type),
      );
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw specViolation("$filter", error.message);
      throw error;
    }
  }
  return query;
}
