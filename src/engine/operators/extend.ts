/** `extend` and `project` (with computed columns): each expression compiled once, evaluated column-at-a-time. */
import { unparen } from '../../kql/syntax/index.js';
import type { ColumnAssignment, Expr, ExtendOp, ProjectOp } from '../../kql/syntax/ast.js';
import { implicitName } from '../../kql/semantics/naming.js';
import type { Column } from '../storage/column.js';
import { materialize, physicalRows, sameRows, type Relation } from '../compile/relation.js';
import { gatherColumn } from '../storage/builders.js';
import { lazyColumn } from '../storage/merge.js';
import { evaluateVector } from '../compile/vector.js';
import { withMemberTables } from '../compile/json-access.js';
import { scope, type OpContext } from './context.js';
import { expandAssignment } from './multi-column.js';
import { windowScope } from './window.js';

/**
 * Evaluates an expression into a new column aligned with the relation's logical rows, column-at-a-time
 * (compile/vector.ts: bare columns gathered, dictionary strings evaluated once per distinct string, typed
 * writers instead of a Value[] per row).
 */
export function evaluateColumn(cx: OpContext, rel: Relation, e: Expr, rowColumns?: number): Column {
  return evaluateVector(e, { ...windowScope(cx, rel, e), rowColumns }, physicalRows(rel), !rel.sel);
}

/** The input column entry an assignment names bare (`project A`, `project B = A`), if that is all it does. */
function bareColumn(rel: Relation, a: ColumnAssignment): { name: string; column: Column } | undefined {
  if (a.names.length > 1) return undefined;
  const e = unparen(a.expr);
  return e.kind === 'NameRef' ? rel.columns.find((c) => c.name === (e as { name: string }).name) : undefined;
}

/** The entry under another name, its column still read only when asked for. */
function renamed(entry: Relation['columns'][number], name: string): Relation['columns'][number] {
  return entry.name === name ? entry : lazyColumn(name, () => entry.column, entry.parts);
}

function namesFor(assignments: ColumnAssignment[], existing: string[]): string[] {
  let n = 0;
  return assignments.map((a) => {
    if (a.names[0]) return a.names[0].name;
    const implicit = implicitName(a.expr);
    if (implicit) return implicit;
    let name: string;
    do name = `Column${++n}`;
    while (existing.includes(name));
    return name;
  });
}

export function extend(op: ExtendOp, rel: Relation, cx: OpContext): Relation {
  const names = namesFor(op.columns, rel.columns.map((c) => c.name));
  const dense = materialize(rel);
  const out = [...dense.columns];
  // several keys of one JSON text (`UA = tostring(AF.user_agent), Dir = tostring(AF.direction)`): each text read once for all
  const exprs = op.columns.map((a) => a.expr);
  const plain = scope(cx, dense);
  withMemberTables(exprs, () => plain, dense.length, () => {
    // Later assignments see earlier ones (`extend a = 1, b = a + 1`), as in Kusto.
    for (let k = 0; k < op.columns.length; k++) {
      const a = op.columns[k]!;
      const evaluate = () => evaluateColumn(cx, { columns: out, length: dense.length, ...sameRows(dense) }, a.expr, dense.columns.length);
      for (const c of expandAssignment(a, evaluate) ?? [{ name: names[k]!, column: evaluate() }]) {
        const i = out.findIndex((x) => x.name === c.name);
        if (i >= 0) out[i] = c;
        else out.push(c);
      }
    }
  });
  return { columns: out, length: rel.length, ...sameRows(dense) };
}

export function project(op: ProjectOp, rel: Relation, cx: OpContext): Relation {
  const names = namesFor(op.columns, []);
  const used: string[] = [];
  const unique = (name: string) => {
    if (used.includes(name)) {
      let k = 1;
      while (used.includes(`${name}${k}`)) k++;
      name = `${name}${k}`;
    }
    used.push(name);
    return name;
  };
  // a project of bare columns only keeps the input's selection: nothing is copied (a where, then a project
  // of the columns a join or summarize reads, is the commonest shape in hunts)
  // (the input's entries are passed on unread: a scan's columns are made when first read)
  const bare = op.columns.map((a) => bareColumn(rel, a));
  if (bare.every((c) => c !== undefined)) {
    return { columns: bare.map((c, i) => renamed(c, unique(names[i]!))), length: rel.length, ...(rel.sel ? { sel: rel.sel } : {}), ...sameRows(rel) };
  }
  const columns = op.columns.flatMap((a, i) => {
    const entry = bare[i];
    // a bare column next to computed ones: copied (through the selection) only when it is read
    if (entry && rel.sel) {
      const sel = rel.sel;
      return [lazyColumn(unique(names[i]!), () => gatherColumn(entry.column, sel))];
    }
    const expanded = expandAssignment(a, () => evaluateColumn(cx, rel, a.expr));
    if (expanded) return expanded.map((c) => ({ name: unique(c.name), column: c.column }));
    return [{ name: unique(names[i]!), column: evaluateColumn(cx, rel, a.expr) }];
  });
  // the projected columns hold the logical rows: ingestion times follow them
  return { columns, length: rel.length, ...sameRows(materialize(rel)) };
}
