/**
 * Scalar expressions with Kusto's precedence, lowest first:
 *   `|` pipes (parsePipeline, in parse-pipeline.ts) < `or` < `and` < comparisons and string operators
 *   < `+ -` < `* / %` < `a:b` < unary `- +` < postfix (member `.`, index `[]`, call `()`).
 */
import type { BinaryExpr, CallExpr, Expr, InExpr, NamedArg } from './ast.js';
import { Parser } from './parser.js';
import { parseLiteralOrTypedCall, isTypedLiteralStart } from './parse-literals.js';
import { parseOutputSchema, parsePipeline, parseTabularSource, isTabularSourceStart } from './parse-pipeline.js';
import { normaliseTypeName } from './type-names.js';
import { SYNTAX } from './syntax-codes.js';
import { termOn } from './parse-search.js';

/** Nested parentheses, calls and unary operators; and, separately, `.a`/`[i]` links after one primary. */
const MAX_DEPTH = 200;
const MAX_POSTFIX = 200;

/**
 * Type names Kusto reserves: as a name (a column, an assignment's target) they must be written `['int']`.
 * `bool`, `guid`, `uniqueidentifier`, `single`, `short` and `object` are not among them (Kusto.Language reads
 * them as plain names: `extend guid = new_guid() | project guid` is valid).
 */
export const TYPE_KEYWORDS: ReadonlySet<string> = new Set(['int', 'int32', 'long', 'int64', 'uint', 'ulong', 'byte', 'char', 'float', 'real', 'double', 'decimal', 'string', 'datetime', 'date', 'time', 'timespan', 'dynamic', 'boolean']);

/** Keywords that cannot stand alone as a name in an expression (Kusto asks for `['and']`). */
const RESERVED_AS_NAME = new Set(['and', 'or', 'by', 'on', 'with', 'of', 'step', 'as', 'project', 'where', 'typeof', 'between', 'has', 'contains', 'in', 'matches', 'startswith', 'endswith', 'hasprefix', 'hassuffix', 'has_any', 'has_all', ...TYPE_KEYWORDS]);

/** String operators written as words, each with a `!` negated form; `_cs` variants listed separately. */
const STRING_OPS = new Set([
  'has', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs', 'like', 'likecs', 'notlike', 'notlikecs',
  'notcontains', 'notcontainscs', 'notbetween', 'containscs', 'notstartswith'
]);
const IN_OPS = new Set(['in', 'has_any', 'has_all', 'has_any_cs', 'has_all_cs']);
const COMPARISONS = new Set(['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~']);

export function parseExpression(p: Parser): Expr {
  return parseOr(p);
}

function binary(p: Parser, left: Expr, op: string, opStart: number, right: Expr): BinaryExpr {
  return { kind: 'BinaryExpr', op, opSpan: { start: opStart, end: opStart + op.length }, left, right, span: { start: left.span.start, end: right.span.end } };
}

function parseOr(p: Parser): Expr {
  let left = parseAnd(p);
  while (p.isWord('or')) {
    const s = p.start;
    p.advance();
    left = binary(p, left, 'or', s, parseAnd(p));
  }
  return left;
}

function parseAnd(p: Parser): Expr {
  let left = parseComparison(p);
  while (p.isWord('and')) {
    const s = p.start;
    p.advance();
    left = binary(p, left, 'and', s, parseComparison(p));
  }
  return left;
}

/** Reads a comparison/string operator at the cursor without consuming; returns its text and token count. */
function peekComparisonOperator(p: Parser): { op: string; count: number } | undefined {
  const t = p.tok;
  if (t.kind === 'punct' && COMPARISONS.has(t.text)) return { op: t.text, count: 1 };
  let neg = false;
  let k = 0;
  if (t.kind === 'punct' && t.text === '!' && p.peek(1).kind === 'ident' && !p.peek(1).spaced) {
    neg = true;
    k = 1;
  }
  const w = p.peek(k);
  if (w.kind !== 'ident') return undefined;
  const word = w.text;
  if (word === 'matches' && !neg && p.isWord('regex', k + 1)) return { op: 'matches regex', count: 2 };
  if (word === 'between') return { op: neg ? '!between' : 'between', count: k + 1 };
  if (IN_OPS.has(word)) {
    const tilde = word === 'in' && p.isPunct('~', k + 1) && !p.peek(k + 1).spaced;
    return { op: (neg ? '!' : '') + word + (tilde ? '~' : ''), count: k + 1 + (tilde ? 1 : 0) };
  }
  if (STRING_OPS.has(word)) return { op: (neg ? '!' : '') + word, count: k + 1 };
  return undefined;
}

export function parseComparison(p: Parser): Expr {
  let left = parseAdditive(p);
  for (;;) {
    const op = peekComparisonOperator(p);
    if (!op) return left;
    const opStart = p.start;
    p.skip(op.count);
    const opSpan = { start: opStart, end: p.lastEnd };
    if (op.op === 'between' || op.op === '!between') {
      p.expectPunct('(', 'after between');
      const low = parseAdditive(p);
      p.expectPunct('..', 'in between (low .. high)');
      const high = parseAdditive(p);
      p.expectPunct(')', 'to close between');
      left = { kind: 'BetweenExpr', negated: op.op === '!between', left, low, high, span: p.spanFrom(left.span.start) };
      continue;
    }
    if (/^!?(in~?|has_any|has_all|has_any_cs|has_all_cs)$/.test(op.op)) {
      const right = parseExpressionList(p);
      left = { kind: 'InExpr', op: op.op as InExpr['op'], opSpan, left, right, span: p.spanFrom(left.span.start) };
      continue;
    }
    const right = parseAdditive(p);
    left = { kind: 'BinaryExpr', op: op.op, opSpan, left, right, span: { start: left.span.start, end: right.span.end } };
  }
}

/** `(a, b, c)` or `(T | project x)` after `in` / `has_any` (the parentheses are required). */
function parseExpressionList(p: Parser): Expr[] {
  if (!p.expectPunct('(', 'before the list')) return [];
  const items: Expr[] = [];
  if (p.isPunct(')')) {
    p.advance();
    return items;
  }
  for (;;) {
    const before = p.pos;
    items.push(parsePipeline(p));
    if (p.eatPunct(',')) continue;
    if (p.pos === before) break;
    break;
  }
  p.expectPunct(')', 'to close the list');
  return items;
}

/** An expression without comparisons or `in` (make-series' axis, which `in range(...)` may follow). */
export function parseAdditive(p: Parser): Expr {
  let left = parseMultiplicative(p);
  while (p.isPunct('+') || p.isPunct('-')) {
    const t = p.advance();
    left = binary(p, left, t.text, t.span.start, parseMultiplicative(p));
  }
  return left;
}

function parseMultiplicative(p: Parser): Expr {
  let left = parseColonTerm(p);
  while (p.isPunct('*') || p.isPunct('/') || p.isPunct('%')) {
    const t = p.advance();
    left = binary(p, left, t.text, t.span.start, parseColonTerm(p));
  }
  return left;
}

/**
 * `Col:"term"`, search's column term, is an operator in every expression in Kusto.Language: it binds
 * tighter than `*` and looser than unary minus (`-a:b` is `(-a):b`, `a:b*c` is `(a:b)*c`) and does not
 * chain (`a:b:c` is an error). It means `Col has "term"`, wildcards in a literal term as in search.
 */
function parseColonTerm(p: Parser): Expr {
  // an operator source (`print a:b`, `range ...`) ends its own expressions: no `:` after it
  const tabular = isTabularSourceStart(p);
  const left = parseUnary(p);
  if (tabular || !p.isPunct(':')) return left;
  const t = p.advance();
  const right = parseUnary(p);
  const span = { start: left.span.start, end: right.span.end };
  if (right.kind === 'Literal' && right.type === 'string') return termOn(left, right, false, span);
  return { kind: 'BinaryExpr', op: 'has', opSpan: t.span, left, right, span };
}

function parseUnary(p: Parser): Expr {
  if (p.isPunct('-') || p.isPunct('+')) {
    if (p.depth >= MAX_DEPTH) return p.giveUpTooDeep('expression nested too deeply');
    const t = p.advance();
    p.depth++;
    try {
      // one sign only: Kusto reads `- -x`, `--x` and `+-x` as a sign with its operand missing
      if (p.isPunct('-') || p.isPunct('+')) return { ...p.errorExpr('expected an expression after the sign (Kusto takes one sign; write -(-x))'), span: t.span };
      const operand = parsePostfix(p);
      return { kind: 'UnaryExpr', op: t.text as '-' | '+', operand, span: p.spanFrom(t.span.start) };
    } finally {
      p.depth--;
    }
  }
  return parsePostfix(p);
}

function parsePostfix(p: Parser): Expr {
  let e = parsePrimary(p);
  for (let links = 0; ; links++) {
    if (links === MAX_POSTFIX && (p.isPunct('.') || p.isPunct('['))) return p.giveUpTooDeep(`more than ${MAX_POSTFIX} '.name' or '[index]' steps in a row`);
    if (p.isPunct('.') && (p.peek().kind === 'ident' || p.isName(1))) {
      p.advance();
      const name = p.parseIdentifier('a property name');
      if (p.isPunct('(') && e.kind !== 'ParenExpr') {
        // `cluster('x').database('y')` and `T.method()` chains: a call whose target is the left side.
        const call = parseCallArgs(p, name);
        e = { kind: 'MemberExpr', target: e, name: { ...name }, span: p.spanFrom(e.span.start) };
        e = { kind: 'CallExpr', name: call.name, args: [e, ...call.args], span: p.spanFrom(e.span.start) };
        continue;
      }
      e = { kind: 'MemberExpr', target: e, name, span: p.spanFrom(e.span.start) };
      continue;
    }
    if (p.isPunct('.') && p.isPunct('[', 1)) {
      // `a.[expr]`: index written after a dot
      p.advance();
      continue;
    }
    if (p.isPunct('[')) {
      p.advance();
      const index = parseExpression(p);
      p.expectPunct(']', 'to close the index');
      e = { kind: 'IndexExpr', target: e, index, span: p.spanFrom(e.span.start) };
      continue;
    }
    return e;
  }
}

/** Arguments of a call after its name: `(a, name = b, *)`. */
export function parseCallArgs(p: Parser, name: CallExpr['name']): CallExpr {
  p.expectPunct('(', `after '${name.name}'`);
  const args: (Expr | NamedArg)[] = [];
  if (!p.isPunct(')')) {
    for (;;) {
      const before = p.pos;
      if (p.tok.kind === 'ident' && p.isPunct('=', 1) && !p.isPunct('=', 2)) {
        const s = p.start;
        const id = p.parseIdentifier();
        p.advance();
        const value = parsePipeline(p);
        args.push({ kind: 'NamedArg', name: id, value, span: p.spanFrom(s) });
      } else if (p.isPunct('*') && (p.isPunct(',', 1) || p.isPunct(')', 1))) {
        const t = p.advance();
        args.push({ kind: 'StarExpr', span: t.span });
      } else {
        args.push(parsePipeline(p));
      }
      if (p.eatPunct(',')) continue;
      if (p.pos === before) break;
      break;
    }
  }
  p.expectPunct(')', `to close the call to '${name.name}'`);
  return { kind: 'CallExpr', name, args, span: p.spanFrom(name.span.start) };
}

function parsePrimary(p: Parser): Expr {
  if (++p.depth > MAX_DEPTH) {
    p.depth--;
    return p.giveUpTooDeep('expression nested too deeply');
  }
  try {
    return parsePrimaryInner(p);
  } finally {
    p.depth--;
  }
}

function parsePrimaryInner(p: Parser): Expr {
  const t = p.tok;
  if (t.kind === 'string' || t.kind === 'number' || t.kind === 'timespan' || isTypedLiteralStart(p)) return parseLiteralOrTypedCall(p);
  if (t.kind === 'punct') {
    if (t.text === '(') {
      p.advance();
      if (p.isPunct(')')) {
        p.advance();
        return { kind: 'ListExpr', items: [], span: p.spanFrom(t.span.start) };
      }
      const first = parsePipeline(p);
      if (p.isPunct(',')) {
        const items = [first];
        while (p.eatPunct(',')) items.push(parsePipeline(p));
        p.expectPunct(')', 'to close the list');
        return { kind: 'ListExpr', items, span: p.spanFrom(t.span.start) };
      }
      p.expectPunct(')', 'to close the parenthesis');
      return { kind: 'ParenExpr', expr: first, span: p.spanFrom(t.span.start) };
    }
    if (t.text === '[' && p.isName()) {
      const id = p.parseIdentifier();
      return { kind: 'NameRef', name: id.name, quoted: true, span: id.span };
    }
    if (t.text === '*') {
      p.advance();
      return { kind: 'StarExpr', span: t.span };
    }
    if (t.text === '{' && p.isPunct('{', 1)) {
      const end = p.text.indexOf('}}', t.span.start);
      p.error(SYNTAX.placeholder, `template placeholder '${end > 0 ? p.text.slice(t.span.start, end + 2) : '{{'}' must be replaced by a value`, { start: t.span.start, end: end > 0 ? end + 2 : t.span.end });
    }
    return p.errorExpr('expected an expression');
  }
  if (t.kind === 'ident') {
    if (isTabularSourceStart(p)) return parseTabularSource(p);
    if (t.text === 'typeof' && p.isPunct('(', 1)) return parseTypeOf(p);
    if (RESERVED_AS_NAME.has(t.text) && !p.isPunct('(', 1)) {
      const e = p.errorExpr(`expected an expression ('${t.text}' is a keyword: write ['${t.text}'] to use it as a name)`);
      p.advance();
      return { ...e, span: t.span };
    }
    const id = p.parseIdentifier();
    if (p.isPunct('(')) return parseCallArgs(p, id);
    return { kind: 'NameRef', name: id.name, span: id.span };
  }
  return p.errorExpr('expected an expression');
}

/** `typeof(long)` / `typeof(*, a:string)` */
function parseTypeOf(p: Parser): Expr {
  const start = p.start;
  p.advance();
  const inner = p.peek(1);
  if (p.isPunct('(') && inner.kind === 'ident' && normaliseTypeName(inner.text) && p.isPunct(')', 2)) {
    p.skip(3);
    return { kind: 'TypeExpr', type: normaliseTypeName(inner.text)!, span: p.spanFrom(start) };
  }
  const schema = parseOutputSchema(p);
  return { kind: 'TypeExpr', schema, span: p.spanFrom(start) };
}
