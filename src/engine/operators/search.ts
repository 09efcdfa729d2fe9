/**
 * `search` and `find`: one predicate over several tables (the `in (...)` list with wildcards, else every
 * table of the source), each table filtered on its own (search/find's bare terms are `* has ...`, see
 * kql/syntax/parse-search.ts), the survivors unioned.
 * - search: a `$table` column naming each row's table, then the union of every listed table's columns (the
 *   schema is known before the query runs, as Kusto.Language binds it); `T | search` filters T and names it
 *   in `$table`.
 * - find: `source_` (or withsource=), then with `project a, b [, pack_all()]` those columns (null where a
 *   table lacks one) and `pack_` holding every column; by default (project-smart) the columns the
 *   predicate names, the columns common to every table that matched, and `pack_` holding the rest. A table
 *   that lacks a column the predicate names is left out.
 */
import type { Expr, FindExpr, ScalarTypeName, SearchExpr, SearchOp } from '../../kql/syntax/ast.js';
import { walk } from '../../kql/syntax/index.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import type { Env } from '../compile/env.js';
import { buildColumn, readCell } from '../storage/builders.js';
import { valueToDynamic } from '../values/format.js';
import type { DynamicValue, Value } from '../values/value.js';
import type { OpContext } from './context.js';
import { union } from './union.js';
import { where } from './where.js';
import { setOwn } from '../../common/own-keys.js';

export interface SearchInput {
  name: string;
  rel: Relation;
}

/**
 * The relation with a column of nulls for each predicate column it lacks (typed as another input has it),
 * so one predicate runs over every table: `Version == 'v1'` is simply not true where there is no Version.
 */
function withColumns(rel: Relation, named: string[], inputs: SearchInput[]): Relation {
  const missing = named.filter((n) => !rel.columns.some((c) => c.name === n));
  if (!missing.length) return rel;
  let n = rel.length;
  if (rel.sel) for (const r of rel.sel) if (r >= n) n = r + 1;
  const typeOf = (name: string): ScalarTypeName => inputs.flatMap((x) => x.rel.columns.filter((c) => c.name === name).map((c) => c.column.type))[0] ?? 'string';
  return { ...rel, columns: [...rel.columns, ...missing.map((name) => ({ name, column: buildColumn(typeOf(name), new Array<Value>(n).fill(null)) }))] };
}

function filtered(predicate: Expr, rel: Relation, cx: OpContext): Relation {
  return where({ kind: 'WhereOp', predicate, span: predicate.span }, rel, cx);
}

/** `T | search predicate`. */
export function searchPiped(op: SearchOp, input: Relation, name: string, cx: OpContext): Relation {
  return union([{ name, rel: filtered(op.predicate, input, cx) }], false, '$table');
}

/** `search [in (tables)] predicate` as a source. */
export function searchTables(e: SearchExpr, inputs: SearchInput[], cx: OpContext): Relation {
  const named = predicateColumns(e.predicate, cx.env);
  // Every table is a leg, matched or not: the result's schema is the union of the tables' schemas, known
  // before anything runs (as Kusto.Language binds it), not the schemas of the tables that happened to match.
  // The null stand-ins withColumns adds for the predicate are dropped again, so each leg keeps its own columns.
  const legs = inputs.map((x) => {
    const own = new Set(x.rel.columns.map((c) => c.name));
    const rel = filtered(e.predicate, withColumns(x.rel, named, inputs), cx);
    return { name: x.name, rel: rel.columns.length === own.size ? rel : { ...rel, columns: rel.columns.filter((c) => own.has(c.name)) } };
  });
  return union(legs, false, '$table');
}

/** Column names a predicate reads (names not bound in the environment). */
function predicateColumns(e: Expr, env: Env): string[] {
  const out: string[] = [];
  walk(e, (n) => {
    const x = n as Expr;
    if (x.kind === 'NameRef' && !env.lookup(x.name) && !out.includes(x.name)) out.push(x.name);
    return true;
  });
  return out;
}

export function find(e: FindExpr, inputs: SearchInput[], cx: OpContext): Relation {
  const ws = e.parameters.find((p) => p.name.name === 'withsource')?.value;
  const sourceName = ws?.kind === 'NameRef' ? ws.name : 'source_';
  const named = predicateColumns(e.predicate, cx.env);
  // a table with none of the predicate's columns is left out; one with some reads the others as null
  // (the reference: `Version == 'v1' or EventName == 'e'` filters each table on the column it has)
  const hits = inputs
    .filter((x) => !named.length || named.some((c) => x.rel.columns.some((col) => col.name === c)))
    .map((x) => ({ name: x.name, rel: filtered(e.predicate, withColumns(x.rel, named, inputs), cx) }))
    .filter((x) => x.rel.length > 0);
  const project = e.project?.filter((p) => !(p.kind === 'CallExpr' && p.name.name === 'pack_all'));
  const packAll = e.project ? e.project.length !== project!.length : false;
  let columns: string[];
  if (project) {
    columns = project.flatMap((p) => (p.kind === 'NameRef' ? [p.name] : []));
  } else {
    const common = hits.length ? hits[0]!.rel.columns.map((c) => c.name).filter((n) => hits.every((h) => h.rel.columns.some((c) => c.name === n))) : [];
    columns = [...named.filter((n) => hits.some((h) => h.rel.columns.some((c) => c.name === n))), ...common.filter((n) => !named.includes(n))];
  }
  // one output row per hit row: the chosen columns, then pack_ (the rest, or every column with pack_all())
  const values: Value[][] = columns.map(() => []);
  const sources: Value[] = [];
  const packs: Value[] = [];
  const types = columns.map((n) => hits.flatMap((h) => h.rel.columns.filter((c) => c.name === n).map((c) => c.column.type))[0] ?? 'string');
  const withPack = !project || packAll;
  for (const h of hits) {
    const rows = physicalRows(h.rel);
    const cols = columns.map((n) => h.rel.columns.find((c) => c.name === n)?.column);
    const rest = h.rel.columns.filter((c) => packAll || !columns.includes(c.name));
    for (const r of rows) {
      sources.push(h.name);
      cols.forEach((c, j) => values[j]!.push(c && c.type === types[j] ? readCell(c, r) : null));
      if (withPack) {
        const bag: Record<string, DynamicValue> = {};
        for (const c of rest) {
          const v = readCell(c.column, r);
          if (v !== null && v !== '') setOwn(bag, c.name, valueToDynamic(v, c.column.type));
        }
        packs.push(bag);
      }
    }
  }
  const out = [{ name: sourceName, column: buildColumn('string', sources) }, ...columns.map((n, j) => ({ name: n, column: buildColumn(types[j]!, values[j]!) }))];
  if (withPack) out.push({ name: 'pack_', column: buildColumn('dynamic', packs) });
  return { columns: out, length: sources.length };
}
