/**
 * Maps a request path under /xapi/v1 to a spec path template and its decoded parameters.
 * Templates are every path of the full spec (served or not), so a path is "not in the spec" only
 * when the spec truly lacks it. Key and function parameters follow OData literal syntax:
 * Users(5), Users(Number='100'); a single key may also be named, as OData allows: Users(Id=5).
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
    const paths = spec.allPaths;
    // More literal text first, so Users(Number={Number}) wins over Users({Id}).
    const literalLength = (path: string) => path.replace(/\{[^}]+\}/g, "").length;
    this.templates = paths
      .sort((a, b) => literalLength(b) - literalLength(a))
      .map((path) => {
        const names: string[] = [];
        const parts = path.split(/(\{[^}]+\})/);
        const source = parts
          .map((part, index) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            names.push(name);
            // A lone key in parentheses, Users({Id}), may be written with its name: Users(Id=7).
            const loneKey = parts[index - 1]?.endsWith("(") && parts[index + 1]?.startsWith(")");
            return loneKey ? `(?:${name}=)?([^/]*)` : "([^/]*)";
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
