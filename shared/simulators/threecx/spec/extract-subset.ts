/**
 * Regenerates xapi-subset.json from the official 3CX XAPI OpenAPI document:
 *   npx tsx shared/simulators/threecx/spec/extract-subset.ts [path/to/xapi-swagger.yaml]
 *
 * The simulator validates every request against the official spec, but parsing the 1.2 MB YAML
 * costs about a second and the reference lives outside the repository. So the paths the
 * simulator serves, and every schema they reach, are extracted mechanically into a JSON file
 * that ships with the code. Prose (descriptions, summaries, examples) is dropped: only the
 * machine-checkable shape is kept. A contract test re-extracts and compares, so the subset
 * cannot drift from the reference.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

/** Default location of the reference: the shared materials beside the repository. */
export const REFERENCE_SPEC_PATH = resolve(
  here,
  "../../../../../shared/reference/threecx/xapi-swagger-20.0.10.yaml",
);
export const SUBSET_PATH = join(here, "xapi-subset.json");

/** Every path the simulator serves; all of its methods are kept so "exists but not simulated" is known. */
export const SIMULATED_PATHS = [
  "/Users",
  "/Users({Id})",
  "/Users(Number={Number})",
  "/Users({Id})/Groups",
  "/Users({Id})/ForwardingProfiles",
  "/Users({Id})/Pbx.HasDuplicatedEmail()",
  "/Users/Pbx.GetDuplicatedEmails",
  "/Users/Pbx.GetFirstAvailableExtensionNumber()",
  "/Groups",
  "/Peers",
  "/Contacts({Id})",
  "/Contacts/Pbx.GetContactsByNumber(number={number})",
  "/Contacts/Pbx.CreateContactByNumber",
  "/Contacts/Pbx.DeleteContactsById",
  "/GoogleSettings",
  "/MailSettings",
  "/RemoteArchivingSettings",
  "/VoicemailSettings",
  "/SystemStatus",
] as const;

const PROSE_KEYS = new Set(["description", "summary", "example", "examples", "tags", "title"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function withoutProse(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (value === null || typeof value !== "object") return value;
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    // A property may be called "Description" or "Title"; only the lower-case OpenAPI keywords are prose.
    const isProse =
      key === "example" ||
      key === "examples" ||
      (key === "tags" && Array.isArray(item)) ||
      (PROSE_KEYS.has(key) && typeof item === "string");
    if (isProse) continue;
    out[key] = withoutProse(item);
  }
  return out;
}

function collectRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") into.add(item);
      else collectRefs(item, into);
    }
  }
}

/** operationId of every method of every path in the whole spec, simulated or not. */
export type SpecCatalog = Record<string, Record<string, string>>;

export interface SpecSubset {
  source: string;
  openapi: string;
  /**
   * Every path of the full spec with its methods' operationIds, so a path the spec has but the
   * simulator does not serve is answered "not implemented by the simulator", never "no such resource".
   */
  catalog: SpecCatalog;
  paths: Record<string, Json>;
  components: {
    schemas: Record<string, Json>;
    parameters: Record<string, Json>;
    responses: Record<string, Json>;
  };
}

export function extractSubset(specText: string, source: string): SpecSubset {
  const spec = parse(specText) as {
    openapi: string;
    paths: Record<string, Json>;
    components: Record<string, Record<string, Json>>;
  };
  const catalog: SpecCatalog = {};
  for (const [path, item] of Object.entries(spec.paths).sort(([a], [b]) => a.localeCompare(b))) {
    const methods: Record<string, string> = {};
    for (const [method, raw] of Object.entries(item as Record<string, Json>)) {
      const operationId = (raw as { operationId?: Json } | null)?.operationId;
      if (typeof operationId === "string") methods[method] = operationId;
    }
    catalog[path] = methods;
  }
  const paths: Record<string, Json> = {};
  const pending = new Set<string>();
  for (const path of SIMULATED_PATHS) {
    const item = spec.paths[path];
    if (item === undefined) throw new Error(`the reference spec has no path ${path}`);
    paths[path] = withoutProse(item);
    collectRefs(paths[path], pending);
  }
  const components: SpecSubset["components"] = { schemas: {}, parameters: {}, responses: {} };
  const seen = new Set<string>();
  while (pending.size > 0) {
    const [ref] = pending;
    pending.delete(ref as string);
    if (ref === undefined || seen.has(ref)) continue;
    seen.add(ref);
    const match = /^#\/components\/(schemas|parameters|responses)\/(.+)$/.exec(ref);
    if (!match) throw new Error(`unsupported $ref ${ref}`);
    const [, kind, name] = match as unknown as [string, keyof SpecSubset["components"], string];
    const target = spec.components[kind]?.[name];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    const cleaned = withoutProse(target);
    components[kind][name] = cleaned;
    collectRefs(cleaned, pending);
  }
  for (const kind of Object.keys(components) as (keyof SpecSubset["components"])[]) {
    components[kind] = Object.fromEntries(
      Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return { source, openapi: spec.openapi, catalog, paths, components };
}

export function renderSubset(subset: SpecSubset): string {
  return `${JSON.stringify(subset, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = process.argv[2] ?? REFERENCE_SPEC_PATH;
  const subset = extractSubset(readFileSync(input, "utf8"), "xapi-swagger-20.0.10.yaml");
  writeFileSync(SUBSET_PATH, renderSubset(subset));
  process.stdout.write(
    `wrote ${SUBSET_PATH}: ${Object.keys(subset.paths).length} paths, ${Object.keys(subset.components.schemas).length} schemas\n`,
  );
}
