/**
 * Maps a request path under /xapi/v1 to a spec path template and its decoded parameters.
 * Templates come from the spec itself, so a path the spec does not have cannot be served.
 * Key and function parameters follow OData literal syntax: Users(5), Users(Number='100').
 */
import { specViolation } from "./odata/odata-error.js";
import type { XapiSpec } from "./spec/spec-validator.js";

interface CompiledTemplate {
  path: string;
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch {
  path: string;
  /** Raw (still OData-encoded) parameter text by name. */
  raw: Record<string, string>;
}

export class XapiRouter {
  private readonly templates: CompiledTemplate[];

  constructor(spec: XapiSpec) {
    const paths = [...new Set(spec.operations.map((op) => op.path))];
    // More literal text first, so Users(Number={Number}) wins over Users({Id}).
    const literalLength = (path: string) => path.replace(/\{[^}]+\}/g, "").length;
    this.templates = paths
      .sort((a, b) => literalLength(b) - literalLength(a))
      .map((path) => {
        const names: string[] = [];
        const source = path
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            names.push(name);
            return "([^/]*)";
          })
          .join("");
        return { path, pattern: new RegExp(`^${source}$`), names };
      });
  }

  match(path: string): RouteMatch | undefined {
    for (const template of this.templates) {
      const found = template.pattern.exec(path);
      if (!found) continue;
      const raw: Record<string, string> = {};
      template.names.forEach((name, index) => {
        raw[name] = found[index + 1] as string;
      });
      return { path: template.path, raw };
    }
    return undefined;
  }
}

/** Decodes one OData literal of a key or function parameter, by the type the spec gives it. */
export function decodeLiteral(name: string, raw: string, type: unknown): string | number {
  if (type === "integer") {
    if (!/^-?\d+$/.test(raw)) throw specViolation(name, `expected an integer key, got '${raw}'`);
    return Number(raw);
  }
  const match = /^'((?:[^']|'')*)'$/.exec(raw);
  if (!match) throw specViolation(name, `expected a quoted string literal like '100', got ${raw}`);
  return (match[1] as string).replace(/''/g, "'");
}
