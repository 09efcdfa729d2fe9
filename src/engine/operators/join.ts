/**
 * `join` (every kind; `innerunique` by default: the left side de-duplicated on the key, keeping its first
 * row) and `lookup`. Keys: `on a, b` (same name both sides) or `$left.x == $right.y`. Hash join: the
 * right side is indexed by key, the left side probes.
 */
import type { Expr, JoinOp, LookupOp } from '../../kql/syntax/ast.js';
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { uniqueName } from '../../kql/semantics/naming.js';
import { gatherColumn } from '../storage/builders.js';
import { valueKey } from '../values/compare.js';
import { QueryError } from '../values/value.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';

function keyPairs(on: Expr[]): { left: Expr; right: Expr }[] {
  return on.map((k) => {
    if (k.kind === 'NameRef') return { left: k, right: k };
    if (k.kind === 'BinaryExpr' && k.op === '==' && k.left.kind === 'MemberExpr' && k.right.kind === 'MemberExpr') {
      const l = k.left.target.kind === 'NameRef' && k.left.target.name === '$left' ? k.left : k.right;
      const r = l === k.left ? k.right : k.left;
      return { left: { kind: 'NameRef', name: (l as { name: { name: string } }).name.name, span: l.span }, right: { kind: 'NameRef', name: (r as { name: { name: string } }).name.name, span: r.span } };
    }
    throw new QueryError("join keys must be column names or '$left.a == $right.b'", 'KQL4010');
  });
}

function keysOf(rel: Relation, exprs: Expr[], cx: OpContext): { rows: Int32Array; keys: string[]; nullKey: boolean[] } {
  const evals = exprs.map((e) => compileOn(cx, rel, e).eval);
  const rows = physicalRows(rel);
  const keys: string[] = new Array(rows.length);
  const nullKey: boolean[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    let k = '';
    let hasNull = false;
    for (const f of evals) {
      const v = f(rows[i]!);
      if (v === null) hasNull = true;
      k += valueKey(v) + '\u0001';
    }
    keys[i] = k;
    nullKey[i] = hasNull;
  }
  return { rows, keys, nullKey };
}

function paramOf(op: { parameters: { name: { name: string }; value: Expr }[] }, name: string, dflt: string): string {
  const v = op.parameters.find((p) => p.name.name === name)?.value;
  return (v?.kind === 'NameRef' ? v.name : v?.kind === 'Literal' ? String(v.value) : dflt).toLowerCase();
}

/**
 * The joined columns: the left side's, then the right side's with names made unique (`key1`), as the
 * binder names them; built from the actual inputs, which inside a function may have more columns than
 * its parameter declares. Pair sides of -1 give nulls.
 */
function assemble(left: Relation, right: Relation, pairs: [number, number][], leftOnly: boolean, rightOnly: boolean): Relation {
  const lcols = leftOnly || !rightOnly ? left.columns : [];
  const rcols = rightOnly || !leftOnly ? right.columns : [];
  const names: { name: string; type: ScalarTypeName }[] = [];
  const sources = [...lcols.map((c) => ({ side: 0, c })), ...rcols.map((c) => ({ side: 1, c }))];
  for (const { c } of sources) names.push({ name: uniqueName(names, c.name), type: c.column.type });
  const columns = sources.map(({ side, c }, i) => {
    const idx = Int32Array.from(pairs, ([l, r]) => (side === 0 ? l : r));
    return { name: names[i]!.name, column: gatherColumn(c.column, idx) };
  });
  return { columns, length: pairs.length };
}

export function join(op: JoinOp, left: Relation, right: Relation, cx: OpContext): Relation {
  const kind = paramOf(op, 'kind', 'innerunique');
  const keys = keyPairs(op.on);
  const L = keysOf(left, keys.map((k) => k.left), cx);
  const R = keysOf(right, keys.map((k) => k.right), cx);
  const index = new Map<string, number[]>();
  R.keys.forEach((k, i) => {
    if (R.nullKey[i]) return;
    let list = index.get(k);
    if (!list) index.set(k, (list = []));
    list.push(i);
  });
  const pairs: [number, number][] = [];
  const rightMatched = new Uint8Array(R.rows.length);
  const seenLeft = new Set<string>();
  for (let i = 0; i < L.rows.length; i++) {
    const k = L.keys[i]!;
    if (kind === 'innerunique') {
      if (seenLeft.has(k)) continue;
      seenLeft.add(k);
    }
    const matches = L.nullKey[i] ? undefined : index.get(k);
    switch (kind) {
      case 'leftsemi':
        if (matches) pairs.push([L.rows[i]!, -1]);
        break;
      case 'leftanti':
      case 'anti':
      case 'leftantisemi':
        if (!matches) pairs.push([L.rows[i]!, -1]);
        break;
      case 'rightsemi':
      case 'rightanti':
      case 'rightantisemi':
        if (matches) for (const m of matches) rightMatched[m] = 1;
        break;
      default:
        if (matches) {
          for (const m of matches) {
            pairs.push([L.rows[i]!, R.rows[m]!]);
            rightMatched[m] = 1;
          }
        } else if (kind === 'leftouter' || kind === 'fullouter') pairs.push([L.rows[i]!, -1]);
    }
  }
  if (kind === 'rightsemi' || kind === 'rightanti' || kind === 'rightantisemi') {
    const want = kind === 'rightsemi' ? 1 : 0;
    for (let m = 0; m < R.rows.length; m++) if (rightMatched[m] === want) pairs.push([-1, R.rows[m]!]);
    return assemble(left, right, pairs, false, true);
  }
  if (kind === 'rightouter' || kind === 'fullouter') for (let m = 0; m < R.rows.length; m++) if (!rightMatched[m]) pairs.push([-1, R.rows[m]!]);
  const leftOnly = kind === 'leftsemi' || kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi';
  if (!['innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftsemi', 'leftanti', 'anti', 'leftantisemi'].includes(kind)) {
    throw new QueryError(`join kind '${kind}' is not supported`, 'KQL4010');
  }
  return assemble(left, right, pairs, leftOnly, false);
}

export function lookup(op: LookupOp, left: Relation, right: Relation, cx: OpContext): Relation {
  const kind = paramOf(op, 'kind', 'leftouter');
  const keys = keyPairs(op.on);
  const keyNames = new Set(keys.map((k) => (k.right as { name: string }).name));
  const rightKept: Relation = { ...right, columns: right.columns.filter((c) => !keyNames.has(c.name)) };
  const L = keysOf(left, keys.map((k) => k.left), cx);
  const R = keysOf(right, keys.map((k) => k.right), cx);
  const first = new Map<string, number>();
  R.keys.forEach((k, i) => { if (!R.nullKey[i] && !first.has(k)) first.set(k, R.rows[i]!); });
  const pairs: [number, number][] = [];
  for (let i = 0; i < L.rows.length; i++) {
    const m = first.get(L.keys[i]!);
    if (m !== undefined) pairs.push([L.rows[i]!, m]);
    else if (kind !== 'inner') pairs.push([L.rows[i]!, -1]);
  }
  return assemble(left, rightKept, pairs, false, false);
}
