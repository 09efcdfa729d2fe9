/**
 * `S | extend X = extract(@"...literal...", g, C) | where isnotempty(X)`: a row whose text C lacks the
 * pattern's required literal (functions/regex.ts `requiredLiteral`) cannot match, so its X is '' and the
 * where drops it. Those rows are dropped before the extend instead (each distinct string of C tested once
 * with `includes`): the extend then evaluates its columns over the rows that can pass, not over every row
 * (`extract` of encoded PowerShell keeps 1% of 3M command lines, and building the 3M-row column of mostly
 * '' and testing it again was half of the query).
 *
 * Exact when nothing in the extend depends on the rows around a row or on the relation (row_number, prev,
 * next, toscalar...: then it is not taken), C is a column of S (no earlier assignment of the extend
 * replaces it) and X is assigned once. test/engine/extract-prefilter.test.ts compares with the unfused query.
 */
import type { CallExpr, Expr, PipeExpr } from '../../kql/syntax/ast.js';
import { unparen, walk } from '../../kql/syntax/index.js';
import { checkLimits, LIMIT_CHECK_MASK, type Env, type Runtime } from '../compile/env.js';
import { compileExpr } from '../compile/expr.js';
import { physicalRows, sameRows, type Relation } from '../compile/relation.js';
import { compileRegex, requiredLiteral } from '../functions/regex.js';
import { reserve } from '../memory.js';

// (a module-level copy: under tsx every read of an imported binding is a getter call)
const MASK = LIMIT_CHECK_MASK;

/** Calls whose value depends on other rows or the relation: an extend holding one is not narrowed first. */
const ROW_CONTEXT = /^(row_.*|prev|next|pack_all|bag_pack_columns|column_ifexists|column_names_of|estimate_data_size|toscalar|rand|new_guid|materialize)$/i;

const builtin = (rt: Runtime, e: Expr, name: string, args: number): e is CallExpr =>
  e.kind === 'CallExpr' && e.name.name.toLowerCase() === name && e.args.length === args && !e.args.some((a) => a.kind === 'NamedArg') && rt.bound.callOf(e)?.kind === 'scalar';

/** What the where above an extend lets the engine drop first: the extend, the text column and the literal it must hold. */
export interface ExtractPrefilter {
  extend: PipeExpr;
  column: string;
  literal: string;
}

/** `e` as `S | extend ... X = extract(P, g, C) ... | where isnotempty(X)` with P holding a required literal, else undefined. */
export function extractPrefilter(rt: Runtime, env: Env, e: PipeExpr): ExtractPrefilter | undefined {
  if (e.op.kind !== 'WhereOp') return undefined;
  const p = unparen(e.op.predicate);
  if (!builtin(rt, p, 'isnotempty', 1)) return undefined;
  const x = unparen(p.args[0] as Expr);
  const ext = e.source;
  if (x.kind !== 'NameRef' || ext.kind !== 'PipeExpr' || ext.op.kind !== 'ExtendOp') return undefined;
  const assignments = ext.op.columns;
  const at = assignments.findIndex((a) => a.names.length === 1 && a.names[0]!.name === x.name);
  if (at < 0 || assignments.some((a, k) => k !== at && a.names.some((n) => n.name === x.name))) return undefined;
  const call = unparen(assignments[at]!.expr);
  if (!builtin(rt, call, 'extract', 3)) return undefined;
  const [pattern, group, text] = call.args.map((a) => unparen(a as Expr));
  if (text?.kind !== 'NameRef' || text.name === x.name) return undefined;
  // the text column is S's: no assignment before this one replaces it
  if (assignments.slice(0, at + 1).some((a) => a.names.some((n) => n.name === text.name))) return undefined;
  let rowOnly = true;
  for (const a of assignments) {
    walk(a.expr, (node) => {
      const n = node as Expr;
      if (n.kind === 'CallExpr' && ROW_CONTEXT.test(n.name.name)) rowOnly = false;
      if (/Star|Search/.test(n.kind) || (n !== a.expr && rt.bound.schemaOf(n))) rowOnly = false;
      return rowOnly;
    });
  }
  if (!rowOnly) return undefined;
  const scope = { rt, env, rel: { columns: [], length: 1 } };
  const pc = compileExpr(pattern!, scope);
  const gc = compileExpr(group!, scope);
  if (!pc.constant || !gc.constant) return undefined;
  const re = pc.eval(0);
  if (typeof re !== 'string') return undefined;
  compileRegex(re); // an invalid pattern is reported even when no row holds the literal
  const literal = requiredLiteral(re);
  return literal === undefined ? undefined : { extend: ext, column: text.name, literal };
}

/**
 * The rows of `rel` whose string column `column` holds `literal` (each distinct string tested once); `rel`
 * itself when the column is not a string column (the extend and where then do all the work).
 */
export function keepRowsHolding(rt: Runtime, rel: Relation, column: string, literal: string): Relation {
  const col = rel.columns.find((c) => c.name === column)?.column;
  if (col?.type !== 'string' || rel.graph) return rel;
  const { dict, codes } = col;
  const rows = physicalRows(rel);
  const n = rows.length;
  // per code: 0 not yet tested, 1 holds the literal, 2 does not
  const verdict = new Uint8Array(dict.length);
  reserve(4 * n + dict.length);
  let keep = new Int32Array(1024);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if ((i & MASK) === MASK) checkLimits(rt);
    const row = rows[i]!;
    const code = codes[row]!;
    let v = verdict[code]!;
    if (v === 0) verdict[code] = v = dict[code]!.includes(literal) ? 1 : 2;
    if (v !== 1) continue;
    if (kept === keep.length) {
      const grown = new Int32Array(kept * 2);
      grown.set(keep);
      keep = grown;
    }
    keep[kept++] = row;
  }
  return { columns: rel.columns, length: kept, sel: keep.slice(0, kept), ...sameRows(rel) };
}
