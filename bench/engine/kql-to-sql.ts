/**
 * DuckDB SQL for the hunting rules' shape: `let` time bounds, one table, `where` chains and one `summarize`
 * of min/max/count/make_set by columns. Same semantics as KQL: `has` is a case-insensitive regex needing
 * a non-alphanumeric (Unicode letters and digits count as alphanumeric) or the string's edge on each side
 * where the needle itself starts/ends with an alphanumeric (checked after a substring prefilter); `in~`/`=~`
 * compare lower-cased. Datetimes are
 * returned as 100 ns ticks. Anything else is refused by name: the benchmark never guesses.
 */
import type { Expr } from '../../src/kql/syntax/ast.js';
import { parse } from '../../src/kql/syntax/index.js';

export interface SqlQuery {
  sql: string;
  /** Output columns that hold make_set results, with the KQL cap (the checker compares sets). */
  sets: Record<string, number | undefined>;
  /** Group key columns (rows are matched on them). */
  keys: string[];
}

const TERM = '\\p{L}\\p{N}';
const isTermChar = (ch: string) => /[\p{L}\p{N}]/u.test(ch);
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The regex body for one `has` needle: boundaries only where the needle starts/ends with a term character. */
function hasPattern(needle: string): string {
  const pre = needle && isTermChar(needle[0]!) ? `(?:^|[^${TERM}])` : '';
  const post = needle && isTermChar(needle[needle.length - 1]!) ? `(?:$|[^${TERM}])` : '';
  return `${pre}${reEscape(needle)}${post}`;
}

export function hasAnySql(column: string, needles: string[], cs = false): string {
  if (needles.some((n) => n === '')) return 'TRUE';
  // Per needle, a cheap substring test first (has implies it), then the regex only on rows that pass it:
  // DuckDB evaluates AND/OR with selection vectors, so this is the fast way to write `has` there.
  const one = (n: string) => {
    const sub = cs ? `contains(${column}, ${sqlString(n)})` : `contains(lower(${column}), ${sqlString(n.toLowerCase())})`;
    return `(${sub} AND regexp_matches(${column}, ${sqlString(`${cs ? '' : '(?i)'}${hasPattern(n)}`)}))`;
  };
  return needles.length === 1 ? one(needles[0]!) : `(${needles.map(one).join(' OR ')})`;
}

/** `now` is the run's reference time in ticks (the hunt's as-of), as kqlite is given it. */
export function kqlToSql(kql: string, now: bigint): SqlQuery {
  const { script, diagnostics } = parse(kql);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`does not parse: ${diagnostics[0]!.message}`);
  const lets = new Map<string, bigint>();
  let query: Expr | undefined;
  for (const st of script.statements) {
    if (st.kind === 'LetStatement' && st.value.kind !== 'FunctionDecl') lets.set(st.name.name, ticksOf(st.value, lets, now));
    else if (st.kind === 'QueryStatement') query = st.expr;
    else throw new Error(`statement ${st.kind} not translated`);
  }
  if (!query) throw new Error('no query');
  const ops = [];
  let cur: Expr = query;
  while (cur.kind === 'PipeExpr') {
    ops.unshift(cur.op);
    cur = cur.source;
  }
  if (cur.kind !== 'NameRef') throw new Error(`source ${cur.kind} not translated`);
  const where: string[] = [];
  let select = '*';
  let group = '';
  const sets: SqlQuery['sets'] = {};
  const keys: string[] = [];
  for (const op of ops) {
    if (op.kind === 'WhereOp') where.push(predicate(op.predicate, lets, now));
    else if (op.kind === 'SummarizeOp') {
      const by = op.by.map((b) => {
        if (b.names.length || b.expr.kind !== 'NameRef') throw new Error('summarize by: only plain columns translated');
        keys.push(b.expr.name);
        return quoteId(b.expr.name);
      });
      const aggs = op.aggregates.map((a) => {
        if (a.expr.kind !== 'CallExpr') throw new Error('summarize: only aggregate calls translated');
        const fn = a.expr.name.name.toLowerCase();
        const name = a.names[0]?.name ?? (fn === 'count' ? 'count_' : undefined);
        if (!name) throw new Error(`summarize: ${fn}() needs a name`);
        const args = a.expr.args.map((x) => (x.kind === 'NamedArg' ? x.value : x));
        const col = args[0]?.kind === 'NameRef' ? quoteId(args[0].name) : undefined;
        switch (fn) {
          case 'count':
            return `count(*) AS ${quoteId(name)}`;
          case 'min':
          case 'max':
            if (!col) throw new Error(`${fn}() of an expression not translated`);
            return `${ticksSql(`${fn}(${col})`, col)} AS ${quoteId(name)}`;
          case 'make_set': {
            if (!col) throw new Error('make_set() of an expression not translated');
            const cap = args[1]?.kind === 'Literal' ? Number(args[1].value) : undefined;
            sets[name] = cap;
            return `list(DISTINCT ${col}) AS ${quoteId(name)}`;
          }
          default:
            throw new Error(`aggregate ${fn}() not translated`);
        }
      });
      select = [...by, ...aggs].join(', ');
      group = by.length ? ` GROUP BY ${by.join(', ')}` : '';
    } else throw new Error(`operator ${op.kind} not translated`);
  }
  const sql = `SELECT ${select} FROM ${quoteId(cur.name)}${where.length ? ` WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : ''}${group}`;
  return { sql, sets, keys };
}

/** Timestamp columns are TIMESTAMP_NS in DuckDB; results carry ticks like kqlite's. */
const ticksSql = (e: string, col: string) => (col === '"Timestamp"' ? `epoch_ns(${e}) // 100` : e);
const tsLiteral = (ticks: bigint) => `make_timestamp_ns(${ticks * 100n})`;

function ticksOf(e: Expr, lets: Map<string, bigint>, now: bigint): bigint {
  switch (e.kind) {
    case 'Literal':
      if (typeof e.value === 'bigint') return e.value;
      throw new Error(`literal ${e.text} is not a datetime/timespan`);
    case 'ParenExpr':
      return ticksOf(e.expr, lets, now);
    case 'UnaryExpr':
      return e.op === '-' ? -ticksOf(e.operand, lets, now) : ticksOf(e.operand, lets, now);
    case 'NameRef': {
      const v = lets.get(e.name);
      if (v === undefined) throw new Error(`unknown name ${e.name}`);
      return v;
    }
    case 'CallExpr': {
      const fn = e.name.name.toLowerCase();
      const arg = e.args[0] && e.args[0].kind !== 'NamedArg' ? ticksOf(e.args[0], lets, now) : 0n;
      if (fn === 'now') return now + arg;
      if (fn === 'ago') return now - arg;
      throw new Error(`function ${fn}() not translated`);
    }
    default:
      throw new Error(`${e.kind} not translated as a time`);
  }
}

function predicate(e: Expr, lets: Map<string, bigint>, now: bigint): string {
  switch (e.kind) {
    case 'ParenExpr':
      return `(${predicate(e.expr, lets, now)})`;
    case 'BetweenExpr': {
      const col = column(e.left);
      const lo = ticksOf(e.low, lets, now);
      let hi = ticksOf(e.high, lets, now);
      if (e.high.kind === 'Literal' && e.high.type === 'timespan') hi += lo;
      return `${e.negated ? 'NOT ' : ''}(${col} BETWEEN ${tsLiteral(lo)} AND ${tsLiteral(hi)})`;
    }
    case 'BinaryExpr': {
      if (e.op === 'and' || e.op === 'or') return `(${predicate(e.left, lets, now)}) ${e.op.toUpperCase()} (${predicate(e.right, lets, now)})`;
      const col = column(e.left);
      if (col === '"Timestamp"' && ['<', '<=', '>', '>=', '=='].includes(e.op)) return `${col} ${e.op === '==' ? '=' : e.op} ${tsLiteral(ticksOf(e.right, lets, now))}`;
      const v = stringOf(e.right);
      switch (e.op) {
        case 'has': return hasAnySql(col, [v]);
        case '!has': return `NOT ${hasAnySql(col, [v])}`;
        case 'has_cs': return hasAnySql(col, [v], true);
        case '==': return `${col} = ${sqlString(v)}`;
        case '!=': return `${col} <> ${sqlString(v)}`;
        case '=~': return `lower(${col}) = ${sqlString(v.toLowerCase())}`;
        case '!~': return `lower(${col}) <> ${sqlString(v.toLowerCase())}`;
        case 'contains': return `contains(lower(${col}), ${sqlString(v.toLowerCase())})`;
        case 'startswith': return `starts_with(lower(${col}), ${sqlString(v.toLowerCase())})`;
        case 'endswith': return `ends_with(lower(${col}), ${sqlString(v.toLowerCase())})`;
        default: throw new Error(`operator ${e.op} not translated`);
      }
    }
    case 'InExpr': {
      const col = column(e.left);
      const items = e.right.map(stringOf);
      switch (e.op) {
        case 'has_any': return hasAnySql(col, items);
        case 'has_any_cs': return hasAnySql(col, items, true);
        case 'has_all': return items.map((i) => hasAnySql(col, [i])).join(' AND ') || 'TRUE';
        case 'in~': return `lower(${col}) IN (${items.map((i) => sqlString(i.toLowerCase())).join(', ')})`;
        case '!in~': return `lower(${col}) NOT IN (${items.map((i) => sqlString(i.toLowerCase())).join(', ')})`;
        case 'in': return `${col} IN (${items.map(sqlString).join(', ')})`;
        case '!in': return `${col} NOT IN (${items.map(sqlString).join(', ')})`;
        default: throw new Error(`operator ${e.op} not translated`);
      }
    }
    default:
      throw new Error(`predicate ${e.kind} not translated`);
  }
}

function column(e: Expr): string {
  if (e.kind !== 'NameRef') throw new Error(`only a column on the left is translated, not ${e.kind}`);
  return quoteId(e.name);
}

function stringOf(e: Expr): string {
  if (e.kind === 'Literal' && typeof e.value === 'string') return e.value;
  throw new Error(`only string literals translated, not ${e.kind}`);
}
