import { FIELD_SCHEMAS, type FieldSchemaName } from "./field-schemas.js";

/**
 * Google's partial-response `fields` parameter: "nextPageToken,users(id,name(givenName))", the
 * slash form "items/id", and "*" for every field at its level. A name the response's schema does not
 * have is refused ("Invalid field selection NAME"), as Google refuses it.
 */
export type FieldTree = Map<string, FieldTree | true>;

/** A selection names a field the response schema does not have. */
export class InvalidFieldSelection extends Error {
  constructor(readonly field: string) {
    super(`Invalid field selection ${field}`);
  }
}

const schemaTrees = new Map<FieldSchemaName, FieldTree>();

function schemaTree(name: FieldSchemaName): FieldTree {
  let tree = schemaTrees.get(name);
  if (!tree) {
    tree = parseFields(FIELD_SCHEMAS[name]);
    schemaTrees.set(name, tree);
  }
  return tree;
}

/** Throws InvalidFieldSelection for the first selected name the schema lacks. */
export function validateFields(selection: FieldTree, schema: FieldSchemaName | FieldTree): void {
  const tree = typeof schema === "string" ? schemaTree(schema) : schema;
  if (tree.has("*")) return;
  for (const [name, sub] of selection) {
    if (name === "*") continue;
    const known = tree.get(name);
    if (known === undefined) throw new InvalidFieldSelection(name);
    if (sub === true) continue;
    if (known === true) throw new InvalidFieldSelection([...sub.keys()][0] ?? name);
    validateFields(sub, known);
  }
}

export function parseFields(spec: string): FieldTree {
  let position = 0;
  function parseList(): FieldTree {
    const tree: FieldTree = new Map();
    for (;;) {
      parseItem(tree);
      if (spec[position] === ",") {
        position++;
        continue;
      }
      return tree;
    }
  }
  function parseItem(into: FieldTree): void {
    let name = "";
    while (position < spec.length && !",()/".includes(spec[position] as string)) name += spec[position++];
    name = name.trim();
    if (spec[position] === "/") {
      position++;
      const child = asTree(into, name);
      parseItem(child);
      return;
    }
    if (spec[position] === "(") {
      position++;
      const sub = parseList();
      if (spec[position] !== ")") throw new SyntaxError(`unbalanced parentheses in fields "${spec}"`);
      position++;
      merge(asTree(into, name), sub);
      return;
    }
    if (name) into.set(name, true);
  }
  const tree = parseList();
  if (position !== spec.length) throw new SyntaxError(`invalid fields "${spec}"`);
  return tree;
}

function asTree(into: FieldTree, name: string): FieldTree {
  const existing = into.get(name);
  if (existing instanceof Map) return existing;
  if (existing === true) return new Map();
  const created: FieldTree = new Map();
  into.set(name, created);
  return created;
}

function merge(target: FieldTree, source: FieldTree): void {
  for (const [key, value] of source) {
    const current = target.get(key);
    if (current === true) continue;
    if (value === true) target.set(key, true);
    else if (current instanceof Map) merge(current, value);
    else target.set(key, value);
  }
}

export function applyFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => applyFields(item, tree));
  if (typeof value !== "object" || value === null || tree.has("*")) return value;
  const out: Record<string, unknown> = {};
  for (const [key, selection] of tree) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    out[key] = selection === true ? item : applyFields(item, selection);
  }
  return out;
}
