/** `project-away`, `project-keep`, `project-rename`, `project-reorder`, `count`, `getschema`: column bookkeeping. */
import type { NamePattern, ProjectAwayOp, ProjectKeepOp, ProjectRenameOp, ProjectReorderOp } from '../../kql/syntax/ast.js';
import { reorderColumns } from '../../kql/semantics/index.js';
import { buildColumn } from '../storage/builders.js';
import { lazyColumn } from '../storage/merge.js';
import type { Relation } from '../compile/relation.js';

function glob(p: string): (name: string) => boolean {
  if (!p.includes('*')) return (n) => n === p;
  const re = new RegExp('^' + p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return (n) => re.test(n);
}

const matchesAny = (patterns: NamePattern[]) => {
  const tests = patterns.map((p) => glob(p.pattern));
  return (n: string) => tests.some((t) => t(n));
};

export function projectAway(op: ProjectAwayOp, rel: Relation): Relation {
  const m = matchesAny(op.columns);
  return { ...rel, columns: rel.columns.filter((c) => !m(c.name)) };
}

export function projectKeep(op: ProjectKeepOp, rel: Relation): Relation {
  const m = matchesAny(op.columns);
  return { ...rel, columns: rel.columns.filter((c) => m(c.name)) };
}

export function projectRename(op: ProjectRenameOp, rel: Relation): Relation {
  const map = new Map(op.renames.flatMap((r) => (r.oldName ? [[r.oldName.name, r.newName.name] as const] : [])));
  // renamed in place: a column not read yet (a stored table's) stays unread
  return { ...rel, columns: rel.columns.map((c) => (map.has(c.name) ? lazyColumn(map.get(c.name)!, () => c.column, c.parts) : c)) };
}

export function projectReorder(op: ProjectReorderOp, rel: Relation): Relation {
  return { ...rel, columns: reorderColumns(rel.columns, op.columns) };
}

export function count(rel: Relation, name = 'Count'): Relation {
  return { columns: [{ name, column: buildColumn('long', [rel.length]) }], length: 1 };
}

const TYPE_NAMES: Record<string, string> = { bool: 'System.Boolean', int: 'System.Int32', long: 'System.Int64', real: 'System.Double', decimal: 'System.Data.SqlTypes.SqlDecimal', string: 'System.String', datetime: 'System.DateTime', timespan: 'System.TimeSpan', guid: 'System.Guid', dynamic: 'System.Object' };

export function getschema(rel: Relation): Relation {
  const cols = rel.columns;
  return {
    columns: [
      { name: 'ColumnName', column: buildColumn('string', cols.map((c) => c.name)) },
      { name: 'ColumnOrdinal', column: buildColumn('int', cols.map((_, i) => i)) },
      { name: 'DataType', column: buildColumn('string', cols.map((c) => TYPE_NAMES[c.column.type] ?? 'System.Object')) },
      { name: 'ColumnType', column: buildColumn('string', cols.map((c) => c.column.type)) },
    ],
    length: cols.length,
  };
}
