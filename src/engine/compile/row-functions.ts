/**
 * Functions that read the row or the query rather than argument values: pack_all() (every column of the
 * row as a bag), bag_pack_columns(c1, c2...) (the named columns as a bag) and column_names_of(T) (a
 * table's column names), estimate_data_size(*) (bytes of the row's columns), ingestion_time(), extent_id() and
 * extent_tags() (the row's extent). They are compiled here, with the relation at hand, instead of in functions/.
 */
import type { CallExpr, Expr } from '../../kql/syntax/ast.js';
import { valueToDynamic } from '../values/format.js';
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import type { Compiled } from './env.js';
import { columnReader, compileExpr, constant, type CompileScope } from './expr.js';
import { setOwn } from '../../common/own-keys.js';

export const ROW_FUNCTIONS = new Set(['pack_all', 'bag_pack_columns', 'column_names_of', 'estimate_data_size', 'column_ifexists', 'columnifexists', 'ingestion_time', 'extent_id', 'extentid', 'extent_tags']);

/** extent_id() of a row that is in no extent (calculated data): the empty guid, as the reference says. */
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

const FIXED_SIZE: Partial<Record<ScalarTypeName, number>> = { bool: 1, int: 4, long: 8, real: 8, decimal: 16, datetime: 8, timespan: 8, guid: 16 };

/**
 * Estimated bytes of one value: fixed-width types by their width, strings by their UTF-8 length, dynamic
 * values by the length of their JSON text (the reference only promises an estimate from types and values).
 */
function estimatedSize(v: Value, type: ScalarTypeName): number {
  if (v === null) return 0;
  if (type === 'string') return Buffer.byteLength(v as string, 'utf8');
  if (type === 'dynamic') return Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8');
  return FIXED_SIZE[type] ?? 8;
}

export function compileRowFunction(name: string, e: CallExpr, s: CompileScope): Compiled {
  const args = e.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  switch (name) {
    case 'pack_all': {
      // pack_all(true): columns whose value is null or "" are left out
      const skipEmpty = args[0] ? compileExpr(args[0], s) : undefined;
      const cols = s.rel.columns.slice(0, s.rowColumns ?? s.rel.columns.length).map((c) => ({ name: c.name, type: c.column.type, read: columnReader(c.column) }));
      return {
        type: 'dynamic',
        eval: (r) => {
          const skip = skipEmpty?.eval(r) === true;
          const out: Record<string, DynamicValue> = {};
          for (const c of cols) {
            const v = c.read(r);
            if (skip && (v === null || v === '')) continue;
            setOwn(out, c.name, v === null ? null : valueToDynamic(v, c.type));
          }
          return out;
        },
      };
    }
    case 'bag_pack_columns': {
      const cols = args.map((a: Expr) => {
        if (a.kind !== 'NameRef') throw new QueryError('bag_pack_columns takes column names');
        const c = compileExpr(a, s);
        return { name: a.name, type: c.type, read: c.eval };
      });
      return {
        type: 'dynamic',
        eval: (r) => {
          const out: Record<string, DynamicValue> = {};
          for (const c of cols) {
            const v = c.read(r);
            setOwn(out, c.name, v === null ? null : valueToDynamic(v, c.type));
          }
          return out;
        },
      };
    }
    case 'estimate_data_size': {
      // estimate_data_size(*) or estimate_data_size(c1, c2, ...)
      const parts = args.flatMap((a: Expr) =>
        a.kind === 'StarExpr'
          ? s.rel.columns.slice(0, s.rowColumns ?? s.rel.columns.length).map((c) => ({ type: c.column.type, read: columnReader(c.column) }))
          : [(() => { const c = compileExpr(a, s); return { type: c.type, read: c.eval }; })()],
      );
      return {
        type: 'long',
        eval: (r) => {
          let n = 0;
          for (const p of parts) n += estimatedSize(p.read(r), p.type);
          return n;
        },
      };
    }
    case 'column_ifexists':
    case 'columnifexists': {
      // column_ifexists('Name', default): the row's column when the input has it, else the default
      const nameArg = compileExpr(args[0]!, s);
      const colName = nameArg.constant ? nameArg.eval(0) : null;
      if (typeof colName !== 'string') throw new QueryError('column_ifexists: the column name must be a constant string', 'KQL4005');
      const col = s.rel.columns.slice(0, s.rowColumns ?? s.rel.columns.length).find((c) => c.name === colName);
      return col ? { type: col.column.type, eval: columnReader(col.column) } : compileExpr(args[1]!, s);
    }
    case 'ingestion_time': {
      // the row's extent's ingest time; null for rows not read from a stored table (datatable, summarize...)
      const times = s.rel.ingestion;
      if (!times) return constant('datetime', null);
      let read: ((r: number) => Value) | undefined;
      return { type: 'datetime', eval: (r) => (read ??= columnReader(times()))(r) };
    }
    case 'extent_id':
    case 'extentid': {
      // the row's extent (a workspace extent's guid, src/store/extent-guid.ts); the empty guid elsewhere
      const ids = s.rel.extents;
      if (!ids) return constant('guid', EMPTY_GUID);
      let read: ((r: number) => Value) | undefined;
      return { type: 'guid', eval: (r) => (read ??= columnReader(ids()))(r) ?? EMPTY_GUID };
    }
    case 'extent_tags':
      // kqlite's extents carry no tags: a stored row's list is empty; calculated data has no extent (null)
      return s.rel.extents ? { type: 'dynamic', eval: () => [] } : constant('dynamic', null);
    case 'column_names_of': {
      const rel = s.rt.evalTabular(args[0]!, s.env);
      return constant('dynamic', rel.columns.map((c) => c.name));
    }
    default:
      throw new QueryError(`'${name}' is not a row function`);
  }
}
