import { ScimError } from './scim-error.ts';

/**
 * SCIM filters and attribute paths (RFC 7644 section 3.4.2.2 and 3.5.2), parsed into a small AST that the
 * resources translate into database queries (lists) or evaluate in memory (PATCH paths with value filters).
 */
export type AttrPath = {
  /** Schema URN when the path was written fully qualified, e.g. the enterprise extension. */
  uri?: string;
  attr: string;
  sub?: string;
};

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: AttrPath }
  | { op: CompareOp; path: AttrPath; value: Literal }
  /** `emails[type eq "work"]`: the inner filter's paths are relative to the multi-valued attribute. */
  | { op: 'has'; path: AttrPath; filter: Filter };

/** A PATCH path: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, optionally URN-qualified. */
export type PatchPath = { path: AttrPath; filter?: Filter; sub?: string };

/**
 * Bounds of a filter, far above what Entra ID, Okta or OneLogin send (one to a few comparisons): the length of the
 * text, the comparisons in it, and how deep parentheses, `not` and value filters nest. Past them the filter is
 * refused with 400 invalidFilter, before any recursion could run deep.
 */
export const MAX_FILTER_LENGTH = 4_096;
export const MAX_FILTER_TERMS = 50;
export const MAX_FILTER_DEPTH = 10;

const compareOps = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

type Token = { kind: 'word' | 'string' | '(' | ')' | '[' | ']'; text: string; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if ('()[]'.includes(c)) {
      tokens.push({ kind: c as Token['kind'], text: c, at: i });
      i += 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw invalid(`Unterminated string at position ${i}.`);
      let text: string;
      try {
        text = JSON.parse(input.slice(i, j + 1)) as string;
      } catch {
        throw invalid(`Invalid string at position ${i}.`);
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else {
      const match = /^[^\s()[\]"]+/.exec(input.slice(i));
      if (!match) throw invalid(`Unexpected character at position ${i}.`);
      tokens.push({ kind: 'word', text: match[0], at: i });
      i += match[0].length;
    }
  }
  return tokens;
}

const invalid = (detail: string) => new ScimError(400, detail, 'invalidFilter');

/** `urn:...:User:manager.value` -> uri, attr, sub; `name.givenName` -> attr, sub. */
export function splitAttrPath(text: string): AttrPath {
  let uri: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const cut = text.lastIndexOf(':');
    uri = text.slice(0, cut);
    rest = text.slice(cut + 1);
  }
  const parts = rest.split('.');
  if (!parts[0] || parts.length > 2 || parts.some((p) => !/^[A-Za-z$][\w$-]*$/.test(p)))
    throw invalid(`"${text}" is not an attribute path.`);
  return { uri, attr: parts[0], sub: parts[1] };
}

class Parser {
  private pos = 0;
  private depth = 0;
  private terms = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw invalid(`The filter "${this.source}" ends too early.`);
    return token;
  }
  private isWord(word: string) {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }
  private expect(kind: Token['kind']) {
    const token = this.next();
    if (token.kind !== kind) throw invalid(`Expected "${kind}" at position ${token.at}, found "${token.text}".`);
  }

  done() {
    const token = this.peek();
    if (token) throw invalid(`Unexpected "${token.text}" at position ${token.at}.`);
  }

  /** filter := and ("or" and)* ; and := unary ("and" unary)* ; precedence as RFC 7644 figure 2. */
  parseFilter(): Filter {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.pos += 1;
      left = { op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Filter {
    let left = this.parseUnary();
    while (this.isWord('and')) {
      this.pos += 1;
      left = { op: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  /** Runs a nested part of the grammar, one level deeper. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) throw invalid(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels.`);
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private parseUnary(): Filter {
    if (this.isWord('not')) {
      this.pos += 1;
      const token = this.peek();
      if (token?.kind !== '(') throw invalid('"not" must be followed by a parenthesised filter.');
      // The parenthesis that must follow is the level.
      return { op: 'not', filter: this.parseUnary() };
    }
    const token = this.peek();
    if (token?.kind === '(') {
      this.pos += 1;
      const inner = this.nested(() => this.parseFilter());
      this.expect(')');
      return inner;
    }
    return this.parseAttrExpression();
  }

  private parseAttrExpression(): Filter {
    if (++this.terms > MAX_FILTER_TERMS) throw invalid(`The filter has more than ${MAX_FILTER_TERMS} comparisons.`);
    const token = this.next();
    if (token.kind !== 'word') throw invalid(`Expected an attribute at position ${token.at}, found "${token.text}".`);
    const path = splitAttrPath(token.text);
    if (this.peek()?.kind === '[') {
      if (path.sub) throw invalid(`"${token.text}" cannot take a value filter.`);
      this.pos += 1;
      const inner = this.nested(() => this.parseFilter());
      this.expect(']');
      // `emails[type eq "work"].value eq "x"` (as Entra writes it, the PATCH path form): the value filter and a
      // comparison of a sub-attribute of the same value, i.e. `emails[type eq "work" and value eq "x"]`.
      const after = this.peek();
      if (after?.kind !== 'word' || !after.text.startsWith('.')) return { op: 'has', path, filter: inner };
      this.pos += 1;
      if (!/^\.[A-Za-z$][\w$-]*$/.test(after.text))
        throw invalid(`Unexpected "${after.text}" after the value filter at position ${after.at}.`);
      const sub = { attr: after.text.slice(1) };
      const opToken = this.next();
      const op = opToken.text.toLowerCase();
      if (opToken.kind !== 'word' || (op !== 'pr' && !compareOps.has(op)))
        throw invalid(`Unknown operator "${opToken.text}" at position ${opToken.at}.`);
      const compare: Filter =
        op === 'pr' ? { op: 'pr', path: sub } : { op: op as CompareOp, path: sub, value: this.parseLiteral() };
      return { op: 'has', path, filter: { op: 'and', left: inner, right: compare } };
    }
    const opToken = this.next();
    const op = opToken.text.toLowerCase();
    if (opToken.kind !== 'word' || (op !== 'pr' && !compareOps.has(op)))
      throw invalid(`Unknown operator "${opToken.text}" at position ${opToken.at}.`);
    if (op === 'pr') return { op: 'pr', path };
    return { op: op as CompareOp, path, value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind !== 'word') throw invalid(`Expected a value at position ${token.at}.`);
    const word = token.text.toLowerCase();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(token.text)) return Number(token.text);
    throw invalid(`"${token.text}" is not a value; quote strings.`);
  }

  /** PATCH path: attrPath ["[" valFilter "]" ["." subAttr]]. */
  parsePatchPath(): PatchPath {
    const token = this.next();
    if (token.kind !== 'word') throw invalid(`Expected an attribute path, found "${token.text}".`);
    const path = splitAttrPath(token.text);
    if (this.peek()?.kind !== '[') return { path };
    if (path.sub) throw invalid(`"${token.text}" cannot take a value filter.`);
    this.pos += 1;
    const filter = this.nested(() => this.parseFilter());
    this.expect(']');
    const after = this.peek();
    if (!after) return { path, filter };
    this.pos += 1;
    if (after.kind !== 'word' || !/^\.[A-Za-z$][\w$-]*$/.test(after.text))
      throw invalid(`Unexpected "${after.text}" after the value filter.`);
    return { path, filter, sub: after.text.slice(1) };
  }
}

function bounded(source: string) {
  if (source.length > MAX_FILTER_LENGTH) throw invalid(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  return source;
}

export function parseFilter(source: string): Filter {
  bounded(source);
  const parser = new Parser(tokenize(source), source);
  const filter = parser.parseFilter();
  parser.done();
  return filter;
}

export function parsePatchPath(source: string): PatchPath {
  try {
    const parser = new Parser(tokenize(bounded(source)), source);
    const path = parser.parsePatchPath();
    parser.done();
    return path;
  } catch (error) {
    if (error instanceof ScimError)
      throw new ScimError(400, `Invalid path "${source}": ${error.message}`, 'invalidPath');
    throw error;
  }
}
