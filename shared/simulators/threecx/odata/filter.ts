/**
 * The OData $filter subset the simulator understands, parsed once per request into a predicate:
 *   comparisons  eq ne gt ge lt le, and `in` with a parenthesised list of literals
 *   logic        and or not, parentheses
 *   functions    tolower(x) toupper(x) trim(x) startswith(x,y) endswith(x,y) contains(x,y)
 *   literals     'string' (quote doubled to escape), integers, true, false, null,
 *                enum members qualified by their type (Pbx.PeerType'Queue')
 * Anything else (lambda any/all, arithmetic, nested paths, other functions) is refused with a
 * reason instead of being ignored, so a client cannot believe a filter was applied when it was not.
 * Operand types are checked as the OData server checks them: a literal of the wrong type for its
 * property (Number eq 100 on a string, Enabled eq 'true') is a 400, not a comparison that is false.
 */

export class FilterSyntaxError extends Error {}

type Value = string | number | boolean | null;
type Expr =
  | { kind: "literal"; value: Value; type: EdmType }
  | { kind: "property"; name: string }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "compare"; op: CompareOp; left: Expr; right: Expr }
  | { kind: "in"; left: Expr; list: Value[] }
  | { kind: "logic"; op: "and" | "or"; left: Expr; right: Expr }
  | { kind: "not"; operand: Expr };

type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
const COMPARE_OPS = new Set<string>(["eq", "ne", "gt", "ge", "lt", "le"]);
const STRING_FUNCTIONS: Record<string, number> = { tolower: 1, toupper: 1, trim: 1 };
const BOOLEAN_FUNCTIONS: Record<string, number> = { startswith: 2, endswith: 2, contains: 2 };

type Token =
  | { type: "string"; value: string; at: number }
  | { type: "enum"; enumType: string; value: string; at: number }
  | { type: "number"; value: number; at: number }
  | { type: "word"; value: string; at: number }
  | { type: "punct"; value: "(" | ")" | ","; at: number };

/** The quoted literal starting at `start` (a quote); `end` is the index after its closing quote. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = "";
  let j = start + 1;
  for (;;) {
    if (j >= text.length) throw new FilterSyntaxError(`unterminated string literal at position ${start}`);
    if (text[j] === "'") {
      if (text[j + 1] !== "'") return { value, end: j + 1 };
      value += "'";
      j += 2;
      continue;
    }
    value += text[j];
    j++;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === " ") {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ type: "punct", value: ch, at: i });
      i++;
    } else if (ch === "'") {
      const literal = readQuoted(text, i);
      tokens.push({ type: "string", value: literal.value, at: i });
      i = literal.end;
    } else if (/[-0-9]/.test(ch)) {
      const match = /^-?\d+/.exec(text.slice(i));
      if (!match) throw new FilterSyntaxError(`unexpected '${ch}' at position ${i}`);
      tokens.push({ type: "number", value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(text.slice(i)) as RegExpExecArray;
      if (match[0].includes("/")) {
        throw new FilterSyntaxError(`paths and lambdas ('${match[0]}') are not supported`);
      }
      if (text[i + match[0].length] === "'") {
        // Namespace.EnumType'Member': the OData 4.0 spelling of an enum value.
        const literal = readQuoted(text, i + match[0].length);
        tokens.push({ type: "enum", enumType: match[0], value: literal.value, at: i });
        i = literal.end;
        continue;
      }
      tokens.push({ type: "word", value: match[0], at: i });
      i += match[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected '${ch}' at position ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly propertyType: PropertyTypeLookup,
    private readonly entityName: string,
    private readonly enumMembers: EnumLookup,
  ) {}

  parse(): Expr {
    const expr = this.parseOr();
    const extra = this.tokens[this.position];
    if (extra) throw new FilterSyntaxError(`unexpected '${String(extra.value)}' at position ${extra.at}`);
    const type = this.typeOf(expr);
    if (type !== "Edm.Boolean" && type !== "null") {
      throw new FilterSyntaxError(`the $filter expression must be of type Edm.Boolean, found ${type}`);
    }
    return expr;
  }

  /** The EDM type of an expression; throws on operands of incompatible types. */
  private typeOf(expr: Expr): EdmType {
    switch (expr.kind) {
      case "literal":
        return expr.type;
      case "property":
        return this.propertyType(expr.name) as EdmType;
      case "not":
        this.expectBoolean(this.typeOf(expr.operand), "not");
        return "Edm.Boolean";
      case "logic":
        this.expectBoolean(this.typeOf(expr.left), expr.op);
        this.expectBoolean(this.typeOf(expr.right), expr.op);
        return "Edm.Boolean";
      case "call": {
        const types = expr.args.map((arg) => this.typeOf(arg));
        if (types.some((type) => type !== "Edm.String" && type !== "null")) {
          throw new FilterSyntaxError(
            `no function signature for the function with name '${expr.name}' matches the specified arguments (${types.join(", ")})`,
          );
        }
        return expr.name in STRING_FUNCTIONS ? "Edm.String" : "Edm.Boolean";
      }
      case "compare":
        this.expectComparable(this.typeOf(expr.left), this.typeOf(expr.right), expr.op);
        return "Edm.Boolean";
      case "in": {
        const left = this.typeOf(expr.left);
        for (const value of expr.list) this.expectComparable(left, literalType(value), "in");
        return "Edm.Boolean";
      }
    }
  }

  private expectBoolean(type: EdmType, op: string): void {
    if (type !== "Edm.Boolean" && type !== "null") {
      throw new FilterSyntaxError(`the operand of '${op}' must be of type Edm.Boolean, found ${type}`);
    }
  }

  private expectComparable(left: EdmType, right: EdmType, op: string): void {
    if (compatible(left, right)) return;
    throw new FilterSyntaxError(
      `a binary operator with incompatible types was detected: found operand types '${left}' and '${right}' for operator '${op}'`,
    );
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.type === "word" && token.value === word;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.peekWord("or")) {
      this.position++;
      left = { kind: "logic", op: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.peekWord("and")) {
      this.position++;
      left = { kind: "logic", op: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.peekWord("not")) {
      this.position++;
      return { kind: "not", operand: this.parseUnary() };
    }
    const left = this.parseOperand();
    const token = this.tokens[this.position];
    if (token?.type === "word" && COMPARE_OPS.has(token.value)) {
      this.position++;
      return { kind: "compare", op: token.value as CompareOp, left, right: this.parseOperand() };
    }
    if (token?.type === "word" && token.value === "in") {
      this.position++;
      return { kind: "in", left, list: this.parseLiteralList() };
    }
    if (token?.type === "word" && ["add", "sub", "mul", "div", "mod", "has"].includes(token.value)) {
      throw new FilterSyntaxError(`operator '${token.value}' is not supported`);
    }
    return left;
  }

  /** ('a','b') or (1,2): the right side of `in`. */
  private parseLiteralList(): Value[] {
    this.expect("(");
    const values: Value[] = [];
    for (;;) {
      const operand = this.parseOperand();
      if (operand.kind !== "literal") throw new FilterSyntaxError("the list of 'in' must hold literals only");
      values.push(operand.value);
      const token = this.tokens[this.position];
      if (token?.type === "punct" && token.value === ",") {
        this.position++;
        continue;
      }
      this.expect(")");
      return values;
    }
  }

  private expect(value: "(" | ")" | ","): void {
    const token = this.tokens[this.position];
    if (token?.type !== "punct" || token.value !== value) {
      throw new FilterSyntaxError(
        `expected '${value}' ${token ? `at position ${token.at}` : "at the end of the filter"}`,
      );
    }
    this.position++;
  }

  private parseOperand(): Expr {
    const token = this.tokens[this.position];
    if (!token) throw new FilterSyntaxError("the filter ends where an operand was expected");
    this.position++;
    if (token.type === "string") return { kind: "literal", value: token.value, type: "Edm.String" };
    if (token.type === "number") return { kind: "literal", value: token.value, type: "Edm.Int32" };
    if (token.type === "enum") {
      const members = this.enumMembers(token.enumType);
      if (!members) throw new FilterSyntaxError(`'${token.enumType}' is not an enum type of this API`);
      if (!members.includes(token.value)) {
        throw new FilterSyntaxError(
          `'${token.value}' is not a member of ${token.enumType} (${members.join(", ")})`,
        );
      }
      return { kind: "literal", value: token.value, type: token.enumType };
    }
    if (token.type === "punct") {
      if (token.value !== "(")
        throw new FilterSyntaxError(`unexpected '${token.value}' at position ${token.at}`);
      const inner = this.parseOr();
      this.expect(")");
      return inner;
    }
    const word = token.value;
    if (word === "true" || word === "false") {
      return { kind: "literal", value: word === "true", type: "Edm.Boolean" };
    }
    if (word === "null") return { kind: "literal", value: null, type: "null" };
    const next = this.tokens[this.position];
    if (next?.type === "punct" && next.value === "(") {
      const arity = STRING_FUNCTIONS[word] ?? BOOLEAN_FUNCTIONS[word];
      if (arity === undefined) throw new FilterSyntaxError(`function '${word}' is not supported`);
      this.position++;
      const args: Expr[] = [this.parseOr()];
      while (args.length < arity) {
        this.expect(",");
        args.push(this.parseOr());
      }
      this.expect(")");
      return { kind: "call", name: word, args };
    }
    if (this.propertyType(word) === undefined)
      throw new FilterSyntaxError(`'${word}' is not a filterable property of ${this.entityName}`);
    return { kind: "property", name: word };
  }
}

function evaluate(expr: Expr, entity: Record<string, unknown>): Value {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "property": {
      const value = entity[expr.name];
      return value === undefined ? null : (value as Value);
    }
    case "not":
      return !evaluate(expr.operand, entity);
    case "logic": {
      const left = evaluate(expr.left, entity) === true;
      if (expr.op === "and") return left && evaluate(expr.right, entity) === true;
      return left || evaluate(expr.right, entity) === true;
    }
    case "call": {
      const [a, b] = expr.args.map((arg) => evaluate(arg, entity));
      if (typeof a !== "string") return null;
      switch (expr.name) {
        case "tolower":
          return a.toLowerCase();
        case "toupper":
          return a.toUpperCase();
        case "trim":
          return a.trim();
        case "startswith":
          return typeof b === "string" && a.startsWith(b);
        case "endswith":
          return typeof b === "string" && a.endsWith(b);
        default:
          return typeof b === "string" && a.includes(b);
      }
    }
    case "in": {
      const left = evaluate(expr.left, entity);
      return expr.list.includes(left);
    }
    case "compare": {
      const left = evaluate(expr.left, entity);
      const right = evaluate(expr.right, entity);
      if (expr.op === "eq") return left === right;
      if (expr.op === "ne") return left !== right;
      if (left === null || right === null) return false;
      if (expr.op === "gt") return left > right;
      if (expr.op === "ge") return left >= right;
      if (expr.op === "lt") return left < right;
      return left <= right;
    }
  }
}

export type EntityPredicate = (entity: Record<string, unknown>) => boolean;
/**
 * An EDM primitive type name, the name of an enum type (Pbx.PeerType), or "null" for the null
 * literal, which compares with anything.
 */
export type EdmType = string;
/** The EDM type of a filterable property, or undefined when the entity has no such property. */
export type PropertyTypeLookup = (name: string) => EdmType | undefined;

function literalType(value: Value): EdmType {
  if (value === null) return "null";
  if (typeof value === "boolean") return "Edm.Boolean";
  if (typeof value === "number") return "Edm.Int32";
  return "Edm.String";
}

const NUMERIC = new Set(["Edm.Int32", "Edm.Int64", "Edm.Double", "Edm.Decimal"]);

/**
 * OData's promotion rules as far as this API needs them: same type, null with anything, numbers
 * with numbers, and a string literal with an enum (the server parses 'Queue' as the member).
 */
function compatible(left: EdmType, right: EdmType): boolean {
  if (left === right || left === "null" || right === "null") return true;
  if (NUMERIC.has(left) && NUMERIC.has(right)) return true;
  const isEnum = (type: EdmType) => !type.startsWith("Edm.");
  return (isEnum(left) && right === "Edm.String") || (isEnum(right) && left === "Edm.String");
}
/** Members of a named enum type, or undefined when there is no such enum. */
export type EnumLookup = (typeName: string) => readonly string[] | undefined;

/**
 * Parses a $filter; `propertyType` gives the type of each filterable property, `enumMembers`
 * which enum values exist. Throws FilterSyntaxError.
 */
export function compileFilter(
  text: string,
  propertyType: PropertyTypeLookup,
  entityName = "this entity",
  enumMembers: EnumLookup = () => undefined,
): EntityPredicate {
  const expr = new Parser(tokenize(text), propertyType, entityName, enumMembers).parse();
  return (entity) => evaluate(expr, entity) === true;
}
