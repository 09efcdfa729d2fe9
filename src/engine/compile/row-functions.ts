/**
 * Functions that read the row or the query rather than argument values: pack_all() (every column of the
 * row as a bag), bag_pack_columns(c1, c2...) (the named columns as a bag) and column_names_of(T) (a
 * table's column names). They are compiled here, with the relation at hand, instead of in functions/.
 */
import type { CallExpr, Expr } from '../../kql/syntax/ast.js';
import { valueToDynamic } from '../values/format.js';
import { QueryError, type DynamicValue } from '../values/value.js';
import type { Compiled } from './env.js';
import { columnReader, compileExpr, constant, type CompileScope } from './expr.js';

export const ROW_FUNCTIONS = new Set(['pack_all', 'bag_pack_columns', 'column_names_of']);

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
            out[c.name] = v === null ? null : valueToDynamic(v, c.type);
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
            out[c.name] = v === null ? null : valueToDynamic(v, c.type);
          }
          return out;
        },
      };
    }
    case 'column_names_of': {
      const rel = s.rt.evalTabular(args[0]!, s.env);
      return constant('dynamic', rel.columns.map((c) => c.name));
    }
    default:
      throw new QueryError(`'${name}' is not a row function`);
  }
}
