/**
 * `project-by-names e1, e2, ...`: each argument is a column name or a dynamic array of names (strings,
 * `*` wildcards allowed); the matching input columns are kept in the order named. Names that match no
 * column are ignored, as documented.
 */
import type { ProjectByNamesOp } from '../../kql/syntax/ast.js';
import { globMatch } from '../../kql/semantics/index.js';
import type { Relation } from '../compile/relation.js';
import { QueryError } from '../values/value.js';
import { compileOn, type OpContext } from './context.js';

export function projectByNames(op: ProjectByNamesOp, rel: Relation, cx: OpContext): Relation {
  const patterns: string[] = [];
  for (const e of op.names) {
    const c = compileOn(cx, { columns: [], length: 1 }, e);
    if (!c.constant) throw new QueryError('project-by-names takes constant names');
    const v = c.eval(0);
    for (const name of Array.isArray(v) ? v : [v]) {
      if (typeof name !== 'string') throw new QueryError('project-by-names takes names as strings or arrays of strings');
      patterns.push(name);
    }
  }
  const columns: Relation['columns'] = [];
  for (const p of patterns) for (const c of rel.columns) if (globMatch(p, c.name) && !columns.includes(c)) columns.push(c);
  return { columns, length: rel.length, ...(rel.sel ? { sel: rel.sel } : {}) };
}
