/**
 * `parse-kv expr as (key:type, ...) with (...)`: extracts the listed keys from text into typed columns.
 * Three modes, as documented:
 * - delimiters given (`pair_delimiter`, `kv_delimiter`): pairs are split at the pair delimiter, key from
 *   value at the kv delimiter; a value ends at the next pair delimiter, or with `greedy=true` only where a
 *   new key/value pair starts; `quote` (one or two characters, repeatable) wraps keys or values that may
 *   hold delimiters, `escape` (repeatable) escapes a character inside quotes;
 * - no delimiters: every non-alphanumeric character separates, a listed key is followed by its value;
 * - `regex`: every match's first group is a key, its second the value.
 * The first occurrence of a key wins; keys and values are trimmed; an absent or unconvertible value is
 * null (an empty string for string columns). Only the listed keys become columns.
 */
import type { Expr, ParseKvOp } from '../../kql/syntax/ast.js';
import { compileRegex } from '../functions/regex.js';
import { materialize, type Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import { QueryError, type Value } from '../values/value.js';
import { compileOn, type OpContext } from './context.js';
import { convertText } from './parse.js';

interface Options {
  pair?: string;
  kv?: string;
  quotes: [string, string][];
  escapes: string[];
  greedy: boolean;
  regex?: string;
}

export function parseKv(op: ParseKvOp, rel: Relation, cx: OpContext): Relation {
  const dense = materialize(rel);
  const options = readOptions(op, cx);
  const wanted = new Set(op.columns.map((c) => c.name.name));
  const source = compileOn(cx, dense, op.source).eval;
  const out: Value[][] = op.columns.map(() => new Array<Value>(dense.length));
  for (let r = 0; r < dense.length; r++) {
    const v = source(r);
    const text = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    const found = options.regex ? byRegex(text, options.regex, wanted) : options.pair !== undefined && options.kv !== undefined ? byDelimiters(text, options, wanted) : byWords(text, options, wanted);
    op.columns.forEach((c, j) => {
      const raw = found.get(c.name.name);
      const value = raw === undefined ? undefined : convertText(raw, c.type);
      out[j]![r] = value === undefined ? (c.type === 'string' ? '' : null) : value;
    });
  }
  const columns = [...dense.columns];
  op.columns.forEach((c, j) => {
    const col = { name: c.name.name, column: buildColumn(c.type, out[j]!) };
    const at = columns.findIndex((x) => x.name === c.name.name);
    if (at >= 0) columns[at] = col;
    else columns.push(col);
  });
  return { columns, length: dense.length };
}

function readOptions(op: ParseKvOp, cx: OpContext): Options {
  const text = (e: Expr, name: string) => {
    if (e.kind === 'NameRef') return e.name; // `greedy=true` parses as a bare word
    const v = compileOn(cx, { columns: [], length: 1 }, e).eval(0);
    if (typeof v !== 'string' && typeof v !== 'boolean') throw new QueryError(`parse-kv: '${name}' must be a constant`);
    return v;
  };
  const o: Options = { quotes: [], escapes: [], greedy: false };
  for (const p of op.properties) {
    const v = text(p.value, p.name.name);
    switch (p.name.name) {
      case 'pair_delimiter':
        o.pair = String(v);
        break;
      case 'kv_delimiter':
        o.kv = String(v);
        break;
      case 'quote': {
        const q = String(v);
        if (q.length < 1 || q.length > 2) throw new QueryError('parse-kv: a quote is one or two characters');
        o.quotes.push([q[0]!, q[1] ?? q[0]!]);
        break;
      }
      case 'escape':
        o.escapes.push(String(v));
        break;
      case 'greedy':
        o.greedy = v === true || String(v).toLowerCase() === 'true';
        break;
      case 'regex':
        o.regex = String(v);
        break;
      default:
        throw new QueryError(`parse-kv: unknown property '${p.name.name}'`);
    }
  }
  if ((o.pair === undefined) !== (o.kv === undefined)) throw new QueryError('parse-kv needs both pair_delimiter and kv_delimiter, or neither');
  return o;
}

function byRegex(text: string, pattern: string, wanted: Set<string>): Map<string, string> {
  const found = new Map<string, string>();
  const m = compileRegex(pattern).matcher(text);
  while (m.find()) {
    const key = (m.group(1) ?? '').trim();
    if (wanted.has(key) && !found.has(key)) found.set(key, (m.group(2) ?? '').trim());
  }
  return found;
}

/** A quoted run starting at `i` (at an opening quote): its unescaped text and the index after it. */
function readQuoted(text: string, i: number, close: string, escapes: string[]): { value: string; end: number } {
  let value = '';
  let j = i + 1;
  while (j < text.length && text[j] !== close) {
    if (escapes.includes(text[j]!) && j + 1 < text.length) j++;
    value += text[j];
    j++;
  }
  return { value, end: Math.min(j + 1, text.length) };
}

function quoteAt(text: string, i: number, o: Options): [string, string] | undefined {
  return o.quotes.find((q) => text[i] === q[0]);
}

function byDelimiters(text: string, o: Options, wanted: Set<string>): Map<string, string> {
  const pair = o.pair!;
  const kv = o.kv!;
  const found = new Map<string, string>();
  // does a key followed by the kv delimiter start at i (before any pair delimiter)?
  const pairStartsAt = (i: number): boolean => {
    while (text[i] === ' ') i++;
    const q = quoteAt(text, i, o);
    if (q) i = readQuoted(text, i, q[1], o.escapes).end;
    for (; i < text.length; i++) {
      if (text.startsWith(kv, i)) return true;
      if (text.startsWith(pair, i)) return false;
    }
    return false;
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith(pair, i)) {
      i += pair.length;
      continue;
    }
    // key
    let key: string;
    const kq = quoteAt(text, i, o);
    if (kq) {
      const r = readQuoted(text, i, kq[1], o.escapes);
      key = r.value;
      i = r.end;
      while (i < text.length && !text.startsWith(kv, i) && !text.startsWith(pair, i)) i++;
    } else {
      const start = i;
      while (i < text.length && !text.startsWith(kv, i) && !text.startsWith(pair, i)) i++;
      key = text.slice(start, i);
    }
    if (!text.startsWith(kv, i)) continue; // a word that is not a pair
    i += kv.length;
    while (text[i] === ' ' && pair !== ' ') i++;
    // value
    let value: string;
    const vq = quoteAt(text, i, o);
    if (vq) {
      const r = readQuoted(text, i, vq[1], o.escapes);
      value = r.value;
      i = r.end;
      while (i < text.length && !text.startsWith(pair, i)) i++;
    } else {
      const start = i;
      for (;;) {
        while (i < text.length && !text.startsWith(pair, i)) i++;
        if (!o.greedy || i >= text.length || pairStartsAt(i + pair.length)) break;
        i += pair.length;
      }
      value = text.slice(start, i);
    }
    key = key.trim();
    if (wanted.has(key) && !found.has(key)) found.set(key, value.trim());
  }
  return found;
}

const isWordChar = (c: string) => /[\p{L}\p{N}_]/u.test(c);

function byWords(text: string, o: Options, wanted: Set<string>): Map<string, string> {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const q = quoteAt(text, i, o);
    if (q) {
      const r = readQuoted(text, i, q[1], o.escapes);
      tokens.push(r.value);
      i = r.end;
    } else if (isWordChar(text[i]!)) {
      const start = i;
      while (i < text.length && isWordChar(text[i]!)) i++;
      tokens.push(text.slice(start, i));
    } else i++;
  }
  const found = new Map<string, string>();
  for (let t = 0; t + 1 < tokens.length; t++) {
    const key = tokens[t]!.trim();
    if (wanted.has(key) && !found.has(key)) {
      found.set(key, tokens[t + 1]!.trim());
      t++;
    }
  }
  return found;
}
