/**
 * `parse` and `parse-where`: the pattern becomes one RE2 expression, compiled once. String literals match
 * themselves (in `kind=regex` they are regex fragments), `*` skips text, each column captures text up to
 * the next literal (or the rest, when last) and is converted to its declared type. `kind=simple` (the
 * default) needs every conversion to succeed or the row's captures are all empty; `kind=relaxed` keeps the
 * ones that convert. parse-where drops rows that do not match.
 */
import type { ParseOp, ParseWhereOp, ScalarTypeName } from '../../kql/syntax/ast.js';
import { parseDatetimeText, parseTimespanText } from '../../kql/syntax/index.js';
import { buildColumn } from '../storage/builders.js';
import type { Value } from '../values/value.js';
import { compileRegex } from '../functions/regex.js';
import { physicalRows, materialize, type Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';
import { jsonNestsDeeper } from '../../common/nesting.js';
import { literalMatcher } from './parse-literal.js';

const TYPE_PATTERN: Partial<Record<ScalarTypeName, string>> = {
  int: '([+-]?\\d+)',
  long: '([+-]?\\d+)',
  real: '([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)',
  decimal: '([+-]?(?:\\d+\\.?\\d*|\\.\\d+))',
  bool: '((?i:true|false))',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Text as a value of `type`, or undefined when it does not convert (shared with parse-kv). */
export function convertText(text: string, type: ScalarTypeName): Value | undefined {
  switch (type) {
    case 'string':
      return text;
    case 'int':
    case 'long': {
      const t = text.trim();
      return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
    }
    case 'real':
    case 'decimal': {
      const t = text.trim();
      return t !== '' && !Number.isNaN(Number(t)) ? Number(t) : undefined;
    }
    case 'bool':
      return /^(true|false)$/i.test(text.trim()) ? text.trim().toLowerCase() === 'true' : undefined;
    case 'datetime':
      return parseDatetimeText(text) ?? undefined;
    case 'timespan':
      return parseTimespanText(text) ?? undefined;
    case 'dynamic':
      if (jsonNestsDeeper(text)) return text;
      try {
        return JSON.parse(text) as Value;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

export function parseOp(op: ParseOp | ParseWhereOp, rel: Relation, cx: OpContext): Relation {
  const param = (n: string) => op.parameters.find((p) => p.name.name === n)?.value;
  const kindV = param('kind');
  const kind = kindV?.kind === 'NameRef' ? kindV.name : 'simple';
  const flagsV = param('flags');
  const flags = flagsV?.kind === 'Literal' ? String(flagsV.value) : flagsV?.kind === 'NameRef' ? flagsV.name : '';
  const columns: { name: string; type: ScalarTypeName }[] = [];
  let re = '';
  op.pattern.forEach((part, i) => {
    const last = i === op.pattern.length - 1;
    if (part.kind === 'ParseLiteral') re += kind === 'regex' ? part.value : escape(part.value);
    else if (part.kind === 'ParseStar') re += last ? '.*' : '.*?';
    else {
      const type = part.type ?? 'string';
      columns.push({ name: part.name.name, type });
      // typed columns capture what their type can hold; text captures up to the next literal
      // (lazily in simple/relaxed mode, greedily in regex mode), or the rest when last. In relaxed mode a
      // typed column prefers what its type can hold but falls back to text, whose failed conversion
      // leaves only that column null. Named groups: a regex-mode literal may hold groups of its own.
      const text = last || kind === 'regex' ? '.*' : '.*?';
      const typed = TYPE_PATTERN[type]?.slice(1, -1);
      const body = !typed ? text : kind === 'relaxed' ? `${typed}|${text}` : typed;
      re += `(?P<c${columns.length - 1}>${body})`;
    }
  });
  const inline = flags ? `(?${flags.replace(/[^imsU]/g, '')})` : '';
  const regex = compileRegex(`${inline}^(?:${re})`);
  // every literal of a simple/relaxed pattern is in any text it matches: the longest is tested with
  // `includes` first, so the regex (re2js) runs only on the rows that can match
  const needle = kind === 'regex' || inline ? undefined : op.pattern.reduce((best, p) => (p.kind === 'ParseLiteral' && p.value.length > best.length ? p.value : best), '');
  const source = compileOn(cx, rel, op.source).eval;
  const dense = materialize(rel);
  const rows = physicalRows(rel);
  const keep: number[] = [];
  const out: Value[][] = columns.map(() => []);
  // text columns between literals: found with indexOf, not the regex (parse-literal.ts)
  const literal = literalMatcher(op.pattern, kind, inline);
  const texts: string[] = new Array<string>(columns.length);
  for (let i = 0; i < rows.length; i++) {
    const v = source(rows[i]!);
    const text = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    if (needle && !text.includes(needle)) {
      if (op.kind === 'ParseWhereOp') continue;
      keep.push(i);
      columns.forEach((c, j) => out[j]!.push(c.type === 'string' ? '' : null));
      continue;
    }
    const quick = literal?.(text, texts);
    if (quick !== undefined) {
      if (op.kind === 'ParseWhereOp' && !quick) continue;
      keep.push(i);
      for (let j = 0; j < columns.length; j++) out[j]!.push(quick ? texts[j]! : '');
      continue;
    }
    const m = regex.matcher(text);
    const ok = m.find();
    let values: (Value | undefined)[] = columns.map(() => undefined);
    if (ok) {
      values = columns.map((c, j) => convertText(m!.group(`c${j}`) ?? '', c.type));
      if (kind === 'simple' && values.some((x) => x === undefined)) values = columns.map(() => undefined);
    }
    const matched = ok && (kind !== 'simple' || values.every((x) => x !== undefined));
    if (op.kind === 'ParseWhereOp' && !matched) continue;
    keep.push(i);
    values.forEach((x, j) => out[j]!.push(x === undefined ? (columns[j]!.type === 'string' ? '' : null) : x));
  }
  const idx = Int32Array.from(keep);
  const base = op.kind === 'ParseWhereOp' ? materialize({ columns: dense.columns, length: idx.length, sel: idx }) : dense;
  const result = [...base.columns];
  columns.forEach((c, j) => {
    const col = { name: c.name, column: buildColumn(c.type, out[j]!) };
    const at = result.findIndex((x) => x.name === c.name);
    if (at >= 0) result[at] = col;
    else result.push(col);
  });
  return { columns: result, length: keep.length };
}
