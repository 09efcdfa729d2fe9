/**
 * The values a query looks for, by column: `ActionType == "X"`, `FileName in~ ("a", "b")`, `Cmd has_any
 * (list)` where list is a let of a dynamic array, `EventID == 4625`, `tolower(Col) contains "x"` ... For the
 * corpus run (catalog-rows.ts adds rows holding them), so a query's filters keep rows and the operators after
 * them see data. Only positive tests count (not `!=`, `!in`, `!contains`); the values are taken as written.
 */
import type { Expr } from '../../src/kql/syntax/ast.js';
import { parse, walk } from '../../src/kql/syntax/index.js';

/** Lower-case column name → the values the query tests it against, in the order written. */
export type QueryHints = Map<string, (string | number)[]>;

const STRING_TESTS = new Set(['==', '=~', 'has', 'has_cs', 'contains', 'contains_cs', 'startswith', 'startswith_cs', 'endswith', 'endswith_cs', 'hasprefix', 'hassuffix', 'hasprefix_cs', 'hassuffix_cs']);
const NUMBER_TESTS: Record<string, number> = { '==': 0, '>': 1, '>=': 0, '<': -1, '<=': 0 };
const WRAPPERS = new Set(['tolower', 'toupper', 'tostring', 'trim', 'toint', 'tolong']);

type Scalars = (string | number)[];

export function queryHints(text: string): QueryHints {
  const { script } = parse(text);
  const lets = new Map<string, Scalars>();
  const hints: QueryHints = new Map();
  const add = (column: string, values: Scalars) => {
    const key = column.toLowerCase();
    const list = hints.get(key) ?? [];
    for (const v of values) if (!list.includes(v)) list.push(v);
    hints.set(key, list);
  };
  walk(script, (n) => {
    if (n.kind === 'LetStatement') {
      const v = scalars(n.value as Expr, lets);
      if (v.length) lets.set(n.name.name, v);
    } else if (n.kind === 'BinaryExpr') {
      const col = columnOf(n.left);
      if (!col) return;
      const v = scalars(n.right, lets);
      if (STRING_TESTS.has(n.op)) add(col, v.filter((x) => typeof x === 'string'));
      const shift = NUMBER_TESTS[n.op];
      if (shift !== undefined) add(col, v.filter((x): x is number => typeof x === 'number').map((x) => x + shift));
    } else if (n.kind === 'InExpr' && !n.op.startsWith('!')) {
      const col = columnOf(n.left);
      if (!col) return;
      const v = n.right.flatMap((r) => scalars(r, lets));
      // has_all wants every term in one value
      add(col, n.op.startsWith('has_all') ? [v.map(String).join(' ')] : v);
    }
  });
  return hints;
}

/** The column a test reads: `Col`, or `tolower(Col)` and the like. */
function columnOf(e: Expr): string | undefined {
  if (e.kind === 'NameRef') return e.name;
  if (e.kind === 'CallExpr' && WRAPPERS.has(e.name.name) && e.args.length === 1 && e.args[0]!.kind !== 'NamedArg') return columnOf(e.args[0] as Expr);
  return undefined;
}

/** The constant strings and numbers an expression stands for: a literal, a dynamic array, a let of them. */
function scalars(e: Expr, lets: Map<string, Scalars>): Scalars {
  if (e.kind === 'Literal') {
    const v = e.value as unknown;
    if (typeof v === 'string' || typeof v === 'number') return [v];
    if (typeof v === 'bigint') return [Number(v)];
    if (Array.isArray(v)) return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
    return [];
  }
  if (e.kind === 'NameRef') return lets.get(e.name) ?? [];
  if (e.kind === 'ParenExpr') return scalars(e.expr, lets);
  if (e.kind === 'CallExpr' && (e.name.name === 'dynamic' || e.name.name === 'pack_array')) return e.args.flatMap((a) => (a.kind === 'NamedArg' ? [] : scalars(a as Expr, lets)));
  return [];
}
