/**
 * Validates requests (and, for contract tests, responses) against the official XAPI spec.
 *
 * The spec is OpenAPI 3.0: `nullable`, `allOf` inheritance, and no `additionalProperties: false`.
 * Ajv speaks JSON Schema, so every schema is converted once: nullable becomes a null branch,
 * allOf inheritance is flattened into one closed object (an unknown property is an error, as it
 * is for the PBX's OData deserializer), and `@odata.*` instance annotations stay allowed.
 * Everything is compiled once per process and cached per operation, so a request costs one
 * compiled-function call.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { SpecSubset } from "./extract-subset.js";
// Imported rather than read from beside this file, so the compiled CLI (dist/cli/) carries it.
import subset from "./xapi-subset.json" with { type: "json" };

type Schema = Record<string, unknown>;
type HttpMethod = "get" | "post" | "patch" | "delete" | "put";

// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ROOT_ID = "xapi.json";
const SCHEMA_REF = "#/components/schemas/";

export interface SpecParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Schema;
}

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  parameters: SpecParameter[];
  /** Schema of the JSON body, if the operation takes one. */
  requestBody?: { required: boolean; schema: Schema };
  /** Status code of success responses, e.g. "200", "201", "204". */
  successStatus: string;
  successSchema?: Schema;
  /** The entity type the operation reads or writes (for $select / $filter / $expand names). */
  entityType?: string;
}

/** One property of an entity type, with whether OData treats it as a navigation property. */
export interface EntityProperty {
  navigation: boolean;
  /** Type name of the target when the property is (an array of) another Pbx type. */
  refType?: string;
  isArray: boolean;
  /** JSON type of a primitive property ("string", "integer", "boolean", "number"). */
  primitive?: string;
  /** Name of the enum type (Pbx.PeerType) when the property holds one of its members. */
  enumType?: string;
}

/** A readable reason for refusing a request: the target names the property, the message says why. */
export interface SpecViolation {
  target: string;
  message: string;
  /** The PBX's WARNINGS code when it has a specific one (default WARNINGS.INVALID). */
  code?: string;
}

function refName(ref: string): string {
  if (!ref.startsWith(SCHEMA_REF)) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(SCHEMA_REF.length);
}

export class XapiSpec {
  readonly operations: SpecOperation[] = [];
  private readonly subset: SpecSubset;
  private readonly ajv: Ajv;
  private readonly converted: Record<string, Schema> = {};
  private readonly entityCache = new Map<string, Map<string, EntityProperty>>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(subset: SpecSubset) {
    this.subset = subset;
    this.ajv = new Ajv({ strict: false, allErrors: false, verbose: true });
    addFormats(this.ajv);
    // OpenAPI numeric formats: the ranges are already in minimum/maximum.
    for (const format of ["int32", "int64", "uint8"]) {
      this.ajv.addFormat(format, { type: "number", validate: (value: number) => Number.isInteger(value) });
    }
    for (const format of ["float", "double", "decimal"]) {
      this.ajv.addFormat(format, { type: "number", validate: () => true });
    }
    for (const name of Object.keys(subset.components.schemas)) {
      this.converted[name] = { title: name, ...this.convertNamed(name) };
    }
    this.ajv.addSchema({ $id: ROOT_ID, definitions: this.converted });
    this.indexOperations();
  }

  /** Every path template of the full spec (simulated or not). */
  get allPaths(): string[] {
    return Object.keys(this.subset.catalog);
  }

  /** The operationId the full spec gives a path and method, simulated or not. */
  catalogOperationId(path: string, method: string): string | undefined {
    return this.subset.catalog[path]?.[method.toLowerCase()];
  }

  /** The operation for a spec path template and method, if the spec defines it. */
  operation(path: string, method: string): SpecOperation | undefined {
    return this.operations.find((op) => op.path === path && op.method === method.toLowerCase());
  }

  operationById(operationId: string): SpecOperation {
    const op = this.operations.find((candidate) => candidate.operationId === operationId);
    if (!op) throw new Error(`the spec subset has no operation ${operationId}`);
    return op;
  }

  /** Properties of an entity type, inherited ones included. */
  entityProperties(typeName: string): Map<string, EntityProperty> {
    const cached = this.entityCache.get(typeName);
    if (cached) return cached;
    const out = new Map<string, EntityProperty>();
    for (const [name, raw] of Object.entries(this.rawProperties(typeName))) {
      out.set(name, this.describeProperty(raw));
    }
    this.entityCache.set(typeName, out);
    return out;
  }

  /** Members of an enum type (`Pbx.PeerType`), or undefined when the spec has no such enum. */
  enumMembers(typeName: string): readonly string[] | undefined {
    const members = (this.subset.components.schemas[typeName] as Schema | undefined)?.enum;
    return Array.isArray(members) ? members.filter((m): m is string => typeof m === "string") : undefined;
  }

  /** Validates a request body; undefined when it is valid. */
  checkRequestBody(op: SpecOperation, body: unknown): SpecViolation | undefined {
    if (!op.requestBody) {
      return body === undefined ? undefined : { target: "", message: "this operation takes no request body" };
    }
    if (body === undefined) {
      return op.requestBody.required ? { target: "", message: "a JSON request body is required" } : undefined;
    }
    return this.check(`${op.operationId}:request`, op.requestBody.schema, body);
  }

  /** Validates a success response body (contract tests use this to check the simulator). */
  checkResponseBody(op: SpecOperation, body: unknown): SpecViolation | undefined {
    if (!op.successSchema)
      return body === undefined ? undefined : { target: "", message: "expected no body" };
    return this.check(`${op.operationId}:response`, op.successSchema, body);
  }

  /** Validates an OData error body against Pbx.ODataErrors.ODataError. */
  checkErrorBody(body: unknown): SpecViolation | undefined {
    return this.check("ODataError", { $ref: `${SCHEMA_REF}Pbx.ODataErrors.ODataError` }, body);
  }

  /** Validates already-coerced parameter values of one location against the operation's parameters. */
  checkParameters(
    op: SpecOperation,
    location: "query" | "path",
    values: Record<string, unknown>,
  ): SpecViolation | undefined {
    const schema = (): Schema => {
      const params = op.parameters.filter((p) => p.in === location);
      return {
        type: "object",
        properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
        required: params.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      };
    };
    return this.check(`${op.operationId}:${location}`, schema, values, location);
  }

  /** `schema` is built and compiled only the first time a key is seen. */
  private check(
    key: string,
    schema: Schema | (() => Schema),
    value: unknown,
    kind = "body",
  ): SpecViolation | undefined {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(this.convert(typeof schema === "function" ? schema() : schema));
      this.validators.set(key, validate);
    }
    if (validate(value)) return undefined;
    return describeError(validate.errors ?? [], kind);
  }

  private rawProperties(typeName: string): Record<string, Schema> {
    const schema = this.subset.components.schemas[typeName] as Schema | undefined;
    if (!schema) throw new Error(`unknown schema ${typeName}`);
    const own = (schema.properties ?? {}) as Record<string, Schema>;
    const inherited: Record<string, Schema> = {};
    for (const part of (schema.allOf ?? []) as Schema[]) {
      if (typeof part.$ref === "string") Object.assign(inherited, this.rawProperties(refName(part.$ref)));
      else Object.assign(inherited, (part.properties ?? {}) as Record<string, Schema>);
    }
    return { ...inherited, ...own };
  }

  private describeProperty(raw: Schema): EntityProperty {
    const navigation = raw["x-ms-navigationProperty"] === true;
    const isArray = raw.type === "array";
    const inner = (isArray ? raw.items : raw) as Schema;
    const ref =
      typeof inner.$ref === "string"
        ? inner.$ref
        : (((inner.allOf as Schema[] | undefined)?.[0]?.$ref as string | undefined) ?? undefined);
    if (ref) {
      const refType = refName(ref);
      const target = this.subset.components.schemas[refType] as Schema;
      // Enum types are primitives in OData terms.
      if (Array.isArray(target.enum)) return { navigation, isArray, primitive: "string", enumType: refType };
      return { navigation, isArray, refType };
    }
    return { navigation, isArray, primitive: String(inner.type ?? "string") };
  }

  private convertNamed(name: string): Schema {
    const schema = this.subset.components.schemas[name] as Schema;
    const parts = (schema.allOf ?? []) as Schema[];
    const isInheritance = parts.length > 0 && parts.some((p) => p.properties || p.$ref);
    if (isInheritance || schema.properties) {
      return this.closedObject(this.rawPropertiesOf(schema), (schema.required ?? []) as string[]);
    }
    return this.convert(schema);
  }

  private rawPropertiesOf(schema: Schema): Record<string, Schema> {
    const own = (schema.properties ?? {}) as Record<string, Schema>;
    const inherited: Record<string, Schema> = {};
    for (const part of (schema.allOf ?? []) as Schema[]) {
      if (typeof part.$ref === "string") Object.assign(inherited, this.rawProperties(refName(part.$ref)));
      else Object.assign(inherited, this.rawPropertiesOf(part));
    }
    return { ...inherited, ...own };
  }

  private closedObject(properties: Record<string, Schema>, required: string[]): Schema {
    return {
      type: "object",
      properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, this.convert(v)])),
      ...(required.length > 0 ? { required } : {}),
      // OData instance annotations (@odata.type, @odata.context, ...) are not properties.
      patternProperties: { "^@odata\\.": {} },
      additionalProperties: false,
    };
  }

  /** OpenAPI 3.0 schema -> JSON Schema (draft-07) for ajv. */
  private convert(schema: Schema): Schema {
    if (typeof schema.$ref === "string") return { $ref: `${ROOT_ID}#/definitions/${refName(schema.$ref)}` };
    const nullable = schema.nullable === true;
    const parts = schema.allOf as Schema[] | undefined;
    if (parts && parts.length === 1 && !schema.properties) {
      const inner = this.convert(parts[0] as Schema);
      // if/else rather than anyOf: a non-null value reports only the real schema's error.
      return nullable ? { if: { type: "null" }, else: inner } : inner;
    }
    if (parts || schema.properties) {
      const merged = this.closedObject(this.rawPropertiesOf(schema), (schema.required ?? []) as string[]);
      return nullable ? { if: { type: "null" }, else: merged } : merged;
    }
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === "nullable" || key.startsWith("x-")) continue;
      if (key === "items") out.items = this.convert(value as Schema);
      else if (key === "additionalProperties" && typeof value === "object" && value !== null)
        out.additionalProperties = this.convert(value as Schema);
      else out[key] = value;
    }
    if (nullable) {
      if (typeof out.type === "string") out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    }
    return out;
  }

  private indexOperations(): void {
    for (const [path, item] of Object.entries(this.subset.paths) as [string, Record<string, Schema>][]) {
      for (const method of ["get", "post", "patch", "delete", "put"] as const) {
        const raw = item[method];
        if (!raw) continue;
        const parameters = ((raw.parameters ?? []) as Schema[]).map((p) => this.resolveParameter(p));
        const body = raw.requestBody as Schema | undefined;
        const bodySchema = (body?.content as Record<string, Schema> | undefined)?.["application/json"]
          ?.schema as Schema | undefined;
        const responses = raw.responses as Record<string, Schema>;
        const successStatus = Object.keys(responses).find((code) => code.startsWith("2")) ?? "200";
        const success = this.resolveResponse(responses[successStatus] as Schema);
        const successSchema = (success.content as Record<string, Schema> | undefined)?.["application/json"]
          ?.schema as Schema | undefined;
        this.operations.push({
          operationId: String(raw.operationId),
          method,
          path,
          parameters,
          ...(bodySchema ? { requestBody: { required: body?.required === true, schema: bodySchema } } : {}),
          successStatus,
          ...(successSchema ? { successSchema } : {}),
          ...this.entityTypeOf(bodySchema, successSchema),
        });
      }
    }
  }

  private entityTypeOf(body?: Schema, success?: Schema): { entityType?: string } {
    for (const schema of [success, body]) {
      if (!schema) continue;
      if (typeof schema.$ref === "string") {
        const name = refName(schema.$ref);
        const props = this.rawProperties(name);
        const value = props.value as Schema | undefined;
        const items = value?.items as Schema | undefined;
        if (typeof items?.$ref === "string") return { entityType: refName(items.$ref) };
        return { entityType: name };
      }
      for (const part of (schema.allOf ?? []) as Schema[]) {
        const items = ((part.properties as Record<string, Schema> | undefined)?.value?.items ?? {}) as Schema;
        if (typeof items.$ref === "string") return { entityType: refName(items.$ref) };
      }
      const contact = (schema.properties as Record<string, Schema> | undefined)?.contact;
      if (typeof contact?.$ref === "string") return { entityType: refName(contact.$ref) };
    }
    return {};
  }

  private resolveParameter(raw: Schema): SpecParameter {
    const param =
      typeof raw.$ref === "string"
        ? (this.subset.components.parameters[raw.$ref.replace("#/components/parameters/", "")] as Schema)
        : raw;
    return {
      name: String(param.name),
      in: param.in as SpecParameter["in"],
      required: param.required === true,
      schema: param.schema as Schema,
    };
  }

  private resolveResponse(raw: Schema): Schema {
    if (typeof raw.$ref === "string") {
      return this.subset.components.responses[raw.$ref.replace("#/components/responses/", "")] as Schema;
    }
    return raw;
  }
}

/** "/Groups/0/GroupId" -> "Groups[0].GroupId": the way OData error targets name a property. */
export function jsonPointerToTarget(pointer: string): string {
  let out = "";
  for (const segment of pointer.split("/").slice(1)) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(key) ? `[${key}]` : out === "" ? key : `.${key}`;
  }
  return out;
}

function typeNameOf(error: ErrorObject): string | undefined {
  const parent = error.parentSchema as Schema | undefined;
  return typeof parent?.title === "string" ? parent.title : undefined;
}

function describeError(errors: ErrorObject[], kind: string): SpecViolation {
  // The null branch of a nullable reference adds an "if" error that says nothing useful.
  const error = errors.find((e) => e.keyword !== "if") ?? errors[0];
  if (!error) return { target: "", message: "invalid" };
  const base = jsonPointerToTarget(error.instancePath);
  const join = (name: string) => (base === "" ? name : `${base}.${name}`);
  const typeName = typeNameOf(error);
  const got = (value: unknown) =>
    value === null ? "null" : Array.isArray(value) ? "an array" : `${typeof value} ${JSON.stringify(value)}`;
  switch (error.keyword) {
    case "additionalProperties": {
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      const what = kind === "body" ? `property` : `${kind} option`;
      return {
        target: join(name),
        message: `unknown ${what} '${name}'${typeName ? `: ${typeName} does not define it` : ""}`,
      };
    }
    case "required": {
      const name = String((error.params as { missingProperty: string }).missingProperty);
      return { target: join(name), message: `'${name}' is required` };
    }
    case "type":
      return {
        target: base,
        message: `must be ${String((error.params as { type: unknown }).type).replace(",", " or ")}, got ${got(error.data)}`,
      };
    case "maxLength":
      return {
        target: base,
        code: "WARNINGS.STRING_TOO_LONG",
        message: `must be at most ${String((error.params as { limit: unknown }).limit)} characters, got ${String((error.data as string).length)}`,
      };
    case "enum":
      return {
        target: base,
        message: `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? [])
          .filter((v) => v !== null)
          .map((v) => JSON.stringify(v))
          .join(", ")}, got ${got(error.data)}`,
      };
    default:
      return { target: base, message: `${error.message ?? "is invalid"}, got ${got(error.data)}` };
  }
}

let shared: XapiSpec | undefined;

/** The compiled spec, loaded once per process. */
export function loadXapiSpec(): XapiSpec {
  shared ??= new XapiSpec(subset as unknown as SpecSubset);
  return shared;
}
