import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ConfigError, type SettingProblem } from "./config-error.js";
import { CONFIG_FILE_ENV, convertEnvValue, ENV_BINDINGS } from "./env-bindings.js";
import { SECRET_SETTING_PATHS, type Settings, settingsSchema } from "./schema.js";

export interface LoadSettingsOptions {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** A JSON or YAML file; defaults to $GW3CX_CONFIG. Environment variables override it. */
  file?: string;
  /** Values already parsed (e.g. from Firestore or a test), below file and env in precedence. */
  base?: Record<string, unknown>;
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Merges `source` into `target`, object by object (a later source wins per leaf). */
export function mergeInto(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const bothObjects = [existing, value].every(
      (v) => typeof v === "object" && v !== null && !Array.isArray(v),
    );
    if (bothObjects) mergeInto(existing as Tree, value as Tree);
    else target[key] = value;
  }
}

function getPath(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function readFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new ConfigError(
      "CONFIG_FILE_UNREADABLE",
      [
        {
          setting: CONFIG_FILE_ENV,
          source: "environment",
          value: JSON.stringify(file),
          allowed: "a readable JSON or YAML file",
        },
      ],
      { cause },
    );
  }
  try {
    const parsed: unknown = extname(file) === ".json" ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("top level is not a mapping");
    return parsed as Tree;
  } catch (cause) {
    throw new ConfigError(
      "CONFIG_FILE_UNREADABLE",
      [
        {
          setting: CONFIG_FILE_ENV,
          source: file,
          value: JSON.stringify(file),
          allowed: `a JSON or YAML mapping of settings (${cause instanceof Error ? cause.message : String(cause)})`,
        },
      ],
      { cause },
    );
  }
}

function describeValue(path: string, value: unknown): string {
  if (SECRET_SETTING_PATHS.has(path)) return "(hidden)";
  if (value === undefined) return "(missing)";
  return JSON.stringify(value);
}

function toProblems(
  issues: readonly z.core.$ZodIssue[],
  input: Tree,
  sources: Map<string, string>,
): SettingProblem[] {
  return issues.map((issue) => {
    // Unknown keys are reported per key, so the message names the misspelt setting itself.
    if (issue.code === "unrecognized_keys") {
      const parent = issue.path.join(".");
      const keys = issue.keys.map((k) => (parent ? `${parent}.${k}` : k));
      return {
        setting: keys.join(", "),
        source: sources.get(keys[0] ?? "") ?? "file",
        value: "(unknown setting)",
        allowed: "not a gw3cx setting; check the spelling against the README's settings table",
      };
    }
    const setting = issue.path.map(String).join(".");
    return {
      setting: setting || "(settings)",
      source: sources.get(setting) ?? sourceOfAncestor(setting, sources) ?? "default",
      value: describeValue(setting, getPath(input, issue.path)),
      allowed: issue.message,
    };
  });
}

function sourceOfAncestor(setting: string, sources: Map<string, string>): string | undefined {
  for (const [path, source] of sources) if (setting.startsWith(`${path}.`)) return source;
  return undefined;
}

/** Reads, merges (base < file < env) and validates every setting. Throws ConfigError listing every problem. */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const input: Tree = structuredClone(options.base ?? {});
  const sources = new Map<string, string>();

  const file = options.file ?? env[CONFIG_FILE_ENV];
  if (file) {
    const fromFile = readFile(file);
    mergeInto(input, fromFile);
    for (const key of Object.keys(fromFile)) sources.set(key, file);
  }
  for (const binding of ENV_BINDINGS) {
    const raw = env[binding.env];
    if (raw === undefined) continue;
    setPath(input, binding.path, convertEnvValue(raw, binding.kind));
    sources.set(binding.path, `$${binding.env}`);
  }

  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success)
    throw new ConfigError("CONFIG_INVALID", toProblems(parsed.error.issues, input, sources));
  return parsed.data;
}
