/**
 * Parses and checks the query string of one request: first against the operation's parameters
 * in the spec (names, types, minimums), then the OData meaning ($select names must be
 * properties of the entity, $expand names navigation properties, $filter must parse).
 */

import type { EntityProperty, SpecOperation, XapiSpec } from "../spec/spec-validator.js";
import { compileFilter, type EntityPredicate, FilterSyntaxError } from "./filter.js";
import { SimError, specViolation } from "./odata-error.js";

export interface ODataQuery {
  top?: number;
  skip?: number;
  filter?: EntityPredicate;
  select?: string[];
  expand?: string[];
  count: boolean;
}

/** Options the spec allows but the simulator does not implement: refused, never ignored. */
const UNSUPPORTED = new Set(["$search", "$orderby"]);

function unsupported(option: string): SimError {
  return new SimError(400, "spec", `the simulator does not implement ${option}`, {
    code: "WARNINGS.XAPI.NOT_SUPPORTED",
    target: option,
  });
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
    else if (type === "array") values[name] = raw === "" ? [] : raw.split(",").map((item) => item.trim());
    else values[name] = raw;
  }
  const violation = spec.checkParameters(op, "query", values);
  if (violation) throw specViolation(violation.target, violation.message);
  for (const name of Object.keys(values)) if (UNSUPPORTED.has(name)) throw unsupported(name);

  const properties = op.entityType ? spec.entityProperties(op.entityType) : new Map<string, EntityProperty>();
  const query: ODataQuery = { count: values.$count === true };
  if (typeof values.$top === "number") {
    if (values.$top > maxTop) {
      throw specViolation("$top", `the limit of ${maxTop} for $top is exceeded (asked for ${values.$top})`);
    }
    query.top = values.$top;
  }
  if (typeof values.$skip === "number") query.skip = values.$skip;
  if (Array.isArray(values.$select)) {
    for (const name of values.$select as string[]) {
      const property = properties.get(name);
      if (!property) throw specViolation("$select", `'${name}' is not a property of ${op.entityType}`);
      if (property.navigation) {
        throw specViolation("$select", `'${name}' is a navigation property: use $expand`);
      }
    }
    query.select = values.$select as string[];
  }
  if (Array.isArray(values.$expand)) {
    for (const name of values.$expand as string[]) {
      if (name.includes("(")) throw unsupported(`nested options in $expand (${name})`);
      if (!properties.get(name)?.navigation) {
        throw specViolation("$expand", `'${name}' is not a navigation property of ${op.entityType}`);
      }
    }
    query.expand = values.$expand as string[];
  }
  if (typeof values.$filter === "string") {
    const filterable = (name: string) => {
      const property = properties.get(name);
      return property !== undefined && !property.navigation && !property.isArray && !property.refType;
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
