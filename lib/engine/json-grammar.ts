// JSON Schema -> GBNF (llama.cpp's grammar format), so that what the model may generate is exactly
// what the schema allows, bounds included: node-llama-cpp's own converter ignores integer
// minimum/maximum and pattern, which let a model answer `120` for `maximum: 99`.
//
// Every keyword is either enforced by the grammar, ignored because it only annotates (title,
// description, ...), or refused with UnsupportedSchemaError naming it: a keyword silently ignored
// would let through output the caller's validator then rejects.
//
// Numbers have no exponent and at most 15 integer digits, so JSON.parse never yields Infinity.

export class UnsupportedSchemaError extends Error {
  constructor(
    readonly keyword: string,
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["title", "description", "default", "examples", "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly", "$defs", "definitions"]);
const HANDLED = new Set([
  "type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref",
  "properties", "required", "additionalProperties",
  "items", "prefixItems", "minItems", "maxItems",
  "minLength", "maxLength", "pattern", "format",
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
]);
const MAX_INT_DIGITS = 15;
const MAX_INT = 10 ** MAX_INT_DIGITS - 1;

/** A GBNF string literal for `text`. */
function lit(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

/** A GBNF character-class item for one character (escaped as the class syntax needs). */
function classChar(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
  return /[\\\]\-^[]/.test(c) ? `\\${c}` : c;
}

const PRIMITIVES: Record<string, string> = {
  // As llama.cpp's converter: one space, or one line break and indentation. A free run of blanks lets a
  // weak model spend its whole max_tokens on whitespace between two keys.
  ws: '( " " | "\\n" [ \\t]{0,20} )?',
  char: '[^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})',
  string: '"\\"" char* "\\""',
  integer: `"-"? ("0" | [1-9] [0-9]{0,${MAX_INT_DIGITS - 1}})`,
  number: `"-"? ("0" | [1-9] [0-9]{0,${MAX_INT_DIGITS - 1}}) ("." [0-9]{1,16})?`,
  boolean: '"true" | "false"',
  null: '"null"',
  value: "object | array | string | number | boolean | null",
  object: '"{" ws ( string ws ":" ws value ws ( "," ws string ws ":" ws value ws )* )? "}"',
  array: '"[" ws ( value ws ( "," ws value ws )* )? "]"',
};

export function jsonSchemaToGbnf(root: Schema): string {
  return new Converter(root).convert();
}

class Converter {
  private readonly rules = new Map<string, string>();
  private readonly refs = new Map<string, string>();
  private counter = 0;

  constructor(private readonly root: Schema) {}

  convert(): string {
    const body = this.visit(this.root, "#");
    this.rules.set("root", body);
    const lines = [`root ::= ${body}`];
    for (const [name, rule] of this.rules) if (name !== "root") lines.push(`${name} ::= ${rule}`);
    return lines.join("\n") + "\n";
  }

  private prim(name: string): string {
    if (!this.rules.has(name)) {
      this.rules.set(name, PRIMITIVES[name]);
      // Pull in what it refers to.
      for (const dep of PRIMITIVES[name].match(/\b[a-z]+\b/g) ?? []) if (dep in PRIMITIVES && dep !== name) this.prim(dep);
    }
    return name;
  }

  private rule(body: string): string {
    const name = `r${this.counter++}`;
    this.rules.set(name, body);
    return name;
  }

  private refuse(keyword: string, at: string, why = "is not supported"): never {
    throw new UnsupportedSchemaError(keyword, at, `"${keyword}" at ${at} ${why}`);
  }

  private visit(schema: unknown, at: string): string {
    if (schema === true || (schema && typeof schema === "object" && Object.keys(schema).length === 0)) return this.prim("value");
    if (schema === false) this.refuse("false", at, "allows no value");
    if (!schema || typeof schema !== "object" || Array.isArray(schema)) this.refuse("schema", at, "must be an object");
    const s = schema as Schema;
    for (const key of Object.keys(s)) if (!HANDLED.has(key) && !ANNOTATIONS.has(key)) this.refuse(key, at);

    if (s.$ref !== undefined) return this.ref(s, at);
    if (s.const !== undefined) return lit(JSON.stringify(s.const));
    if (s.enum !== undefined) {
      if (!Array.isArray(s.enum) || s.enum.length === 0) this.refuse("enum", at, "must be a non-empty array");
      return `( ${(s.enum as unknown[]).map((v) => lit(JSON.stringify(v))).join(" | ")} )`;
    }
    for (const key of ["anyOf", "oneOf"] as const) {
      if (s[key] === undefined) continue;
      const options = s[key];
      if (!Array.isArray(options) || options.length === 0) this.refuse(key, at, "must be a non-empty array");
      if (s.type !== undefined || s.properties !== undefined) this.refuse(key, at, "beside type or properties is not supported");
      return `( ${options.map((o, i) => this.visit(o, `${at}/${key}/${i}`)).join(" | ")} )`;
    }
    if (s.allOf !== undefined) {
      if (!Array.isArray(s.allOf) || s.allOf.length !== 1) this.refuse("allOf", at, "is supported with one schema only");
      return this.visit(s.allOf[0], `${at}/allOf/0`);
    }

    const types = s.type === undefined ? this.impliedTypes(s) : Array.isArray(s.type) ? (s.type as unknown[]) : [s.type];
    if (types.length === 0) this.refuse("type", at, "must name at least one type");
    const alternatives = types.map((t) => this.typed(s, String(t), at));
    return alternatives.length === 1 ? alternatives[0] : `( ${alternatives.join(" | ")} )`;
  }

  /** Without "type": what the other keywords imply (a schema of only annotations allows anything). */
  private impliedTypes(s: Schema): string[] {
    if (s.properties !== undefined || s.additionalProperties !== undefined || s.required !== undefined) return ["object"];
    if (s.items !== undefined || s.prefixItems !== undefined || s.minItems !== undefined || s.maxItems !== undefined) return ["array"];
    if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined || s.format !== undefined) return ["string"];
    if (s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined) return ["number"];
    return ["object", "array", "string", "number", "boolean", "null"];
  }

  private onlyFor(s: Schema, type: string, at: string, keywords: string[]): void {
    for (const key of keywords) if (s[key] !== undefined) this.refuse(key, at, `does not apply to type "${type}"`);
  }

  private typed(s: Schema, type: string, at: string): string {
    const objectKeys = ["properties", "required", "additionalProperties"];
    const arrayKeys = ["items", "prefixItems", "minItems", "maxItems"];
    const stringKeys = ["minLength", "maxLength", "pattern", "format"];
    const numberKeys = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];
    const single = !Array.isArray(s.type);
    const others = (mine: string[]) => (single ? [...objectKeys, ...arrayKeys, ...stringKeys, ...numberKeys].filter((k) => !mine.includes(k)) : []);
    switch (type) {
      case "null":
      case "boolean":
        this.onlyFor(s, type, at, others([]));
        return this.prim(type);
      case "integer":
        this.onlyFor(s, type, at, others(numberKeys));
        return this.integer(s, at);
      case "number":
        this.onlyFor(s, type, at, others(numberKeys));
        for (const key of numberKeys) if (s[key] !== undefined) this.refuse(key, at, 'is enforced on "integer" only, not on "number"');
        return this.prim("number");
      case "string":
        this.onlyFor(s, type, at, others(stringKeys));
        return this.string(s, at);
      case "array":
        this.onlyFor(s, type, at, others(arrayKeys));
        return this.array(s, at);
      case "object":
        this.onlyFor(s, type, at, others(objectKeys));
        return this.object(s, at);
      default:
        return this.refuse("type", at, `names an unknown type "${type}"`);
    }
  }

  private ref(s: Schema, at: string): string {
    const ref = s.$ref;
    const match = typeof ref === "string" ? /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref) : null;
    if (!match) this.refuse("$ref", at, "must point into #/$defs or #/definitions");
    const defs = this.root[match[1]] as Record<string, unknown> | undefined;
    const target = defs?.[match[2]];
    if (target === undefined) this.refuse("$ref", at, `points to ${String(ref)}, which is not defined`);
    let name = this.refs.get(String(ref));
    if (!name) {
      name = `def${this.refs.size}`;
      this.refs.set(String(ref), name);
      this.rules.set(name, "");
      this.rules.set(name, this.visit(target, String(ref)));
    }
    return name;
  }

  private bound(s: Schema, key: string, at: string): number | undefined {
    const v = s[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) this.refuse(key, at, "must be a number");
    return v;
  }

  private count(s: Schema, key: string, at: string): number | undefined {
    const v = s[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) this.refuse(key, at, "must be a whole number of at least 0");
    return v;
  }

  private integer(s: Schema, at: string): string {
    const min = this.bound(s, "minimum", at);
    const max = this.bound(s, "maximum", at);
    const exMin = this.bound(s, "exclusiveMinimum", at);
    const exMax = this.bound(s, "exclusiveMaximum", at);
    const lows = [min === undefined ? undefined : Math.ceil(min), exMin === undefined ? undefined : Math.floor(exMin) + 1].filter((v) => v !== undefined);
    const highs = [max === undefined ? undefined : Math.floor(max), exMax === undefined ? undefined : Math.ceil(exMax) - 1].filter((v) => v !== undefined);
    let lo = lows.length ? Math.max(...lows) : undefined;
    let hi = highs.length ? Math.min(...highs) : undefined;
    if (lo === undefined && hi === undefined) return this.prim("integer");
    // Beyond what the grammar writes at all, a bound changes nothing.
    if (lo !== undefined && lo < -MAX_INT) lo = undefined;
    if (hi !== undefined && hi > MAX_INT) hi = undefined;
    const keyword = min !== undefined || exMin !== undefined ? (min !== undefined ? "minimum" : "exclusiveMinimum") : max !== undefined ? "maximum" : "exclusiveMaximum";
    if (lo !== undefined && hi !== undefined && lo > hi) this.refuse(keyword, at, "leaves no integer allowed");
    if ((lo ?? 0) > MAX_INT || (hi ?? 0) < -MAX_INT) this.refuse(keyword, at, `is beyond the ${MAX_INT_DIGITS} digits integers are generated with`);
    return this.rule(intRange(lo, hi));
  }

  private string(s: Schema, at: string): string {
    const minLength = this.count(s, "minLength", at);
    const maxLength = this.count(s, "maxLength", at);
    if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) this.refuse("minLength", at, "is above maxLength");
    if (s.pattern !== undefined) {
      if (minLength !== undefined || maxLength !== undefined) this.refuse(minLength !== undefined ? "minLength" : "maxLength", at, "together with pattern is not supported");
      if (s.format !== undefined) this.refuse("format", at, "together with pattern is not supported");
      if (typeof s.pattern !== "string") this.refuse("pattern", at, "must be a string");
      return this.rule(`"\\"" ${new PatternConverter(s.pattern, at).convert()} "\\""`);
    }
    if (s.format !== undefined) {
      if (minLength !== undefined || maxLength !== undefined) this.refuse(minLength !== undefined ? "minLength" : "maxLength", at, "together with format is not supported");
      const format = FORMATS[String(s.format)];
      if (!format) this.refuse("format", at, `"${String(s.format)}" is not supported (supported: ${Object.keys(FORMATS).join(", ")})`);
      return this.rule(`"\\"" ${format} "\\""`);
    }
    if (minLength === undefined && maxLength === undefined) return this.prim("string");
    this.prim("char");
    return this.rule(`"\\"" char{${minLength ?? 0},${maxLength ?? ""}} "\\""`);
  }

  private array(s: Schema, at: string): string {
    const minItems = this.count(s, "minItems", at) ?? 0;
    const maxItems = this.count(s, "maxItems", at);
    if (maxItems !== undefined && minItems > maxItems) this.refuse("minItems", at, "is above maxItems");
    const ws = this.prim("ws");
    const prefix = s.prefixItems === undefined ? [] : Array.isArray(s.prefixItems) ? s.prefixItems : this.refuse("prefixItems", at, "must be an array");
    if (prefix.length && minItems < prefix.length) this.refuse("prefixItems", at, "is supported when minItems covers every prefix item");
    if (s.items === false && prefix.length === 0) this.refuse("items", at, "false allows no item");
    const item = s.items === undefined || s.items === true ? this.prim("value") : s.items === false ? null : this.visit(s.items, `${at}/items`);
    const parts: string[] = prefix.map((p, i) => this.visit(p, `${at}/prefixItems/${i}`));
    const seq: string[] = [];
    parts.forEach((p, i) => seq.push(i === 0 ? `${p} ${ws}` : `"," ${ws} ${p} ${ws}`));
    const restMin = Math.max(0, minItems - prefix.length);
    const restMax = maxItems === undefined ? undefined : maxItems - prefix.length;
    if (item && restMax !== 0) {
      const sep = `"," ${ws} ${item} ${ws}`;
      if (parts.length > 0) seq.push(`(${sep}){${restMin},${restMax ?? ""}}`);
      else if (restMin > 0) seq.push(`${item} ${ws} (${sep}){${restMin - 1},${restMax === undefined ? "" : restMax - 1}}`);
      else seq.push(`( ${item} ${ws} (${sep}){0,${restMax === undefined ? "" : restMax - 1}} )?`);
    }
    return this.rule(`"[" ${ws} ${seq.join(" ")} "]"`);
  }

  private object(s: Schema, at: string): string {
    const ws = this.prim("ws");
    const props = (s.properties ?? {}) as Record<string, unknown>;
    if (typeof props !== "object" || Array.isArray(props)) this.refuse("properties", at, "must be an object");
    const required = (s.required ?? []) as unknown[];
    if (!Array.isArray(required)) this.refuse("required", at, "must be an array");
    for (const name of required) if (!(String(name) in props)) this.refuse("required", at, `names "${String(name)}", which is not in properties`);
    const names = Object.keys(props);
    if (names.length === 0) {
      const extra = s.additionalProperties;
      if (extra === false) return this.rule(`"{" ${ws} "}"`);
      const value = extra === undefined || extra === true ? this.prim("value") : this.visit(extra, `${at}/additionalProperties`);
      const key = this.prim("string");
      const kv = `${key} ${ws} ":" ${ws} ${value} ${ws}`;
      return this.rule(`"{" ${ws} ( ${kv} ( "," ${ws} ${kv} )* )? "}"`);
    }
    // Declared properties only, in declared order: extra properties are allowed by the schema but never needed.
    const kv = (name: string) => `${lit(JSON.stringify(name))} ${ws} ":" ${ws} ${this.visit(props[name], `${at}/properties/${name}`)} ${ws}`;
    const pairs = new Map(names.map((n) => [n, kv(n)]));
    const req = names.filter((n) => required.includes(n));
    const opt = names.filter((n) => !required.includes(n));
    let body: string;
    if (req.length > 0) {
      body = [...req.map((n, i) => (i === 0 ? pairs.get(n)! : `"," ${ws} ${pairs.get(n)!}`)), ...opt.map((n) => `( "," ${ws} ${pairs.get(n)!} )?`)].join(" ");
    } else {
      // Each optional property may start the list; the later ones may follow it.
      const starts = opt.map((n, i) => [pairs.get(n)!, ...opt.slice(i + 1).map((m) => `( "," ${ws} ${pairs.get(m)!} )?`)].join(" "));
      body = `( ${starts.map((x) => `( ${x} )`).join(" | ")} )?`;
    }
    return this.rule(`"{" ${ws} ${body} "}"`);
  }
}

const FORMATS: Record<string, string> = {
  date: '[0-9]{4} "-" ( "0" [1-9] | "1" [0-2] ) "-" ( "0" [1-9] | [1-2] [0-9] | "3" [0-1] )',
  time: '( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,6} )? ( "Z" | [+-] ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] )',
  "date-time":
    '[0-9]{4} "-" ( "0" [1-9] | "1" [0-2] ) "-" ( "0" [1-9] | [1-2] [0-9] | "3" [0-1] ) "T" ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,6} )? ( "Z" | [+-] ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] )',
  uuid: "[0-9a-f]{8} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{4} \"-\" [0-9a-f]{12}",
};

// ---- integer ranges --------------------------------------------------------------------------------

/** Digit patterns for lo..hi (0 <= lo <= hi), each range split so start and end have equal length. */
function nonNegativeRange(lo: number, hi: number): string[] {
  const stops = new Set<number>([hi]);
  for (let nines = 1; ; nines++) {
    const stop = Math.floor(lo / 10 ** nines) * 10 ** nines + (10 ** nines - 1);
    if (stop < lo || stop >= hi) break;
    stops.add(stop);
  }
  for (let zeros = 1; ; zeros++) {
    const stop = Math.floor((hi + 1) / 10 ** zeros) * 10 ** zeros - 1;
    if (stop <= lo || stop > hi) break;
    stops.add(stop);
  }
  const sorted = [...stops].sort((a, b) => a - b);
  const out: string[] = [];
  let start = lo;
  for (const stop of sorted) {
    if (stop < start) continue;
    out.push(...digitPatterns(String(start), String(stop)));
    start = stop + 1;
  }
  return out;
}

/** start..stop of equal length where every digit after the first differing one spans 0-9. */
function digitPatterns(start: string, stop: string): string[] {
  if (start.length !== stop.length) {
    // Only when a range crosses a power of ten, which the stops above prevent; kept for safety.
    return nonNegativeRange(Number(start), 10 ** start.length - 1).concat(nonNegativeRange(10 ** start.length, Number(stop)));
  }
  const parts: string[] = [];
  for (let i = 0; i < start.length; i++) {
    const a = start[i];
    const b = stop[i];
    parts.push(a === b ? `"${a}"` : `[${a}-${b}]`);
  }
  return [parts.join(" ")];
}

/** Integers >= lo (lo >= 0) written without leading zeros, up to MAX_INT_DIGITS digits. */
function atLeast(lo: number): string[] {
  const digits = String(lo).length;
  const out = nonNegativeRange(lo, 10 ** digits - 1);
  if (digits < MAX_INT_DIGITS) out.push(`[1-9] [0-9]{${digits},${MAX_INT_DIGITS - 1}}`);
  return out;
}

function intRange(lo: number | undefined, hi: number | undefined): string {
  const alts: string[] = [];
  const neg = (patterns: string[]) => patterns.map((p) => `"-" ${p}`);
  if (lo === undefined) {
    // Everything <= hi.
    if (hi! >= 0) alts.push(...neg(atLeast(1)), ...nonNegativeRange(0, hi!));
    else alts.push(...neg(atLeast(-hi!)));
  } else if (hi === undefined) {
    if (lo >= 0) alts.push(...atLeast(lo));
    else alts.push(...neg(nonNegativeRange(1, -lo)), ...atLeast(0));
  } else if (lo >= 0) {
    alts.push(...nonNegativeRange(lo, hi));
  } else if (hi < 0) {
    alts.push(...neg(nonNegativeRange(-hi, -lo)));
  } else {
    alts.push(...neg(nonNegativeRange(1, -lo)), ...nonNegativeRange(0, hi));
  }
  return alts.map((a) => `( ${a} )`).join(" | ");
}

// ---- pattern (a regular expression) inside a JSON string ------------------------------------------

/**
 * Translates the subset of regular expressions grammars can express: literals, escapes (\d \w \s and
 * escaped punctuation), classes, ".", groups, alternation and quantifiers. Lookarounds, backreferences,
 * word boundaries and anchors other than a leading ^ / trailing $ are refused. Unanchored patterns
 * match anywhere in the string, as JSON Schema says.
 */
class PatternConverter {
  private i = 0;
  private readonly src: string;
  private readonly anchoredStart: boolean;
  private readonly anchoredEnd: boolean;

  constructor(
    pattern: string,
    private readonly at: string,
  ) {
    this.anchoredStart = pattern.startsWith("^");
    this.anchoredEnd = pattern.endsWith("$") && !pattern.endsWith("\\$");
    this.src = pattern.slice(this.anchoredStart ? 1 : 0, this.anchoredEnd ? -1 : undefined);
  }

  private refuse(why: string): never {
    throw new UnsupportedSchemaError("pattern", this.at, `"pattern" at ${this.at} ${why}`);
  }

  convert(): string {
    const body = this.alternation();
    if (this.i < this.src.length) this.refuse(`has an unexpected "${this.src[this.i]}" at position ${this.i}`);
    const anyChar = '([^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4}))';
    return `${this.anchoredStart ? "" : `${anyChar}* `}( ${body} )${this.anchoredEnd ? "" : ` ${anyChar}*`}`;
  }

  private alternation(): string {
    const options = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : options.map((o) => `( ${o} )`).join(" | ");
  }

  private sequence(): string {
    const items: string[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.atom();
      items.push(atom + this.quantifier());
    }
    return items.length ? items.join(" ") : '""';
  }

  private quantifier(): string {
    const c = this.src[this.i];
    let q = "";
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      q = c;
    } else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) this.refuse(`has a "{" that is not a repetition at position ${this.i}`);
      this.i += m[0].length;
      q = m[2] === undefined ? `{${m[1]}}` : `{${m[1]},${m[3]}}`;
    }
    if (q && (this.src[this.i] === "?" || this.src[this.i] === "+")) this.refuse("uses lazy or possessive quantifiers");
    return q;
  }

  private atom(): string {
    const c = this.src[this.i++];
    switch (c) {
      case "(": {
        if (this.src[this.i] === "?") {
          if (this.src[this.i + 1] !== ":") this.refuse("uses lookarounds or named groups");
          this.i += 2;
        }
        const inner = this.alternation();
        if (this.src[this.i] !== ")") this.refuse("has an unclosed group");
        this.i++;
        return `( ${inner} )`;
      }
      case "[":
        return this.charClass();
      case ".":
        return '([^"\\\\\\x7F\\x00-\\x1F\\n] | "\\\\" (["\\\\/bfrt] | "u" [0-9a-fA-F]{4}))';
      case "\\":
        return this.escape(false);
      case "^":
      case "$":
        return this.refuse("uses an anchor inside the expression");
      case "*":
      case "+":
      case "?":
      case "{":
        return this.refuse(`has a quantifier with nothing before it at position ${this.i - 1}`);
      default:
        return jsonChar(c);
    }
  }

  /** An escape; inside a class returns class items, outside a grammar item. */
  private escape(inClass: boolean): string {
    const c = this.src[this.i++];
    if (c === undefined) this.refuse("ends with a backslash");
    const classes: Record<string, string> = { d: "0-9", w: "a-zA-Z0-9_", s: " \\t\\n\\r" };
    if (c in classes) return inClass ? classes[c] : `[${classes[c]}]`;
    if (c === "n" || c === "t" || c === "r") {
      const ch = { n: "\n", t: "\t", r: "\r" }[c]!;
      return inClass ? classChar(ch) : jsonChar(ch);
    }
    if (/[0-9bBDWSpPkuxc]/.test(c)) this.refuse(`uses \\${c}, which is not supported`);
    return inClass ? classChar(c) : jsonChar(c);
  }

  private charClass(): string {
    let negate = false;
    if (this.src[this.i] === "^") {
      negate = true;
      this.i++;
    }
    const items: string[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      const c = this.src[this.i++];
      if (c === "\\") items.push(this.escape(true));
      else if (c === "-" && items.length && this.src[this.i] !== "]") {
        const next = this.src[this.i++];
        items.push(`-${classChar(next === "\\" ? this.src[this.i++] : next)}`);
      } else items.push(classChar(c));
    }
    if (this.src[this.i] !== "]") this.refuse("has an unclosed character class");
    this.i++;
    const body = items.join("");
    if (negate) return `[^${body}"\\\\\\x7F\\x00-\\x1F]`;
    // A class cannot leave out characters JSON must escape, so those classes are refused.
    for (const special of ['"', "\\", "\n", "\x00"]) {
      if (classIncludes(body, special)) this.refuse("has a character class including a quote, backslash or control character");
    }
    return `[${body}]`;
  }
}

/** Whether a (GBNF-escaped) class body covers character c, tested with the equivalent JS class. */
function classIncludes(body: string, c: string): boolean {
  try {
    return new RegExp(`[${body.replace(/\\x([0-9a-f]{2})/g, "\\x$1")}]`).test(c);
  } catch {
    return false;
  }
}

/** One character as it appears inside a JSON string literal, as a grammar item. */
function jsonChar(c: string): string {
  if (c === '"') return lit('\\"');
  if (c === "\\") return lit("\\\\");
  if (c === "\n") return lit("\\n");
  if (c === "\t") return lit("\\t");
  if (c === "\r") return lit("\\r");
  if (c.charCodeAt(0) < 0x20) return lit(`\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return lit(c);
}
