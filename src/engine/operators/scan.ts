/**
 * `scan [with_match_id=Id] [declare (c:type [= default], ...)] with (step s1 [output=all|last|none]:
 * condition [=> c = expr, ...]; ...)`: matches ordered records against a sequence of steps, following the
 * documented matching logic. Each step k holds a state (the records that matched steps 1..k of one
 * sequence, with that sequence's match id). Each record is tried against the steps from last to first:
 * - Check 1: the state of step k-1 is active and the record meets step k's condition: step k-1's state
 *   moves to step k (the step k-1 becomes empty), the record (extended by step k's assignments) is added;
 * - otherwise Check 2: step k has an active sequence (or is the first step) and the record meets the
 *   condition: the record replaces step k's own entry; on the first step with an empty state this starts
 *   a new sequence (the next match id).
 * A match is output (the input columns, the declared columns, the match id) unless its step says
 * `output=none`; `output=last` keeps only the last of a step's repeated matches.
 * Conditions and assignments read the record's columns and `step.Column` from the state they are checked
 * against. They are compiled once over the input plus working columns that hold, at the record's row, the
 * record's declared values and the referenced state values.
 */
import type { Expr, ScalarTypeName, ScanOp } from '../../kql/syntax/ast.js';
import { walk } from '../../kql/syntax/index.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { materialize, physicalRows, type Relation } from '../compile/relation.js';
import { buildColumn, gatherColumn, readCell } from '../storage/builders.js';
import { setValid, type Column } from '../storage/column.js';
import { splitTicks } from '../values/ticks.js';
import { valueKey } from '../values/compare.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { compileOn, scope, type OpContext } from './context.js';
import { sortRows } from './sort.js';

/** One matched record inside a state: its row and its declared values. */
interface Entry {
  row: number;
  declared: Value[];
}

interface State {
  id: number;
  entries: (Entry | undefined)[];
}

interface Output {
  row: number;
  declared: Value[];
  id: number;
}

/** A working column written one cell at a time (strings: the dictionary only grows). */
class WorkColumn {
  readonly column: Column;
  private readonly codes = new Map<string, number>();
  constructor(readonly type: ScalarTypeName, length: number) {
    this.column = buildColumn(type, new Array<Value>(length).fill(null));
    if (this.column.type === 'string' || this.column.type === 'guid') this.column.dict.forEach((s, i) => this.codes.set(s, i));
  }

  set(i: number, v: Value): void {
    const c = this.column;
    switch (c.type) {
      case 'string':
      case 'guid': {
        const s = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
        let code = this.codes.get(s);
        if (code === undefined) {
          code = c.dict.length;
          c.dict.push(s);
          this.codes.set(s, code);
        }
        c.codes[i] = code;
        if (c.type === 'guid') this.valid(i, v !== null);
        return;
      }
      case 'bool':
        c.values[i] = v === true ? 1 : 0;
        this.valid(i, typeof v === 'boolean');
        return;
      case 'datetime':
      case 'timespan':
        if (typeof v === 'bigint') {
          const t = splitTicks(v);
          c.hi[i] = t.hi;
          c.lo[i] = t.lo;
        }
        this.valid(i, typeof v === 'bigint');
        return;
      case 'dynamic':
        c.values[i] = (v ?? null) as DynamicValue;
        this.valid(i, v !== null);
        return;
      default:
        // a long beyond ±2^53 keeps its exact form in `big` (storage/column.ts)
        if (typeof v === 'bigint' && c.type === 'long') {
          if (!c.big) {
            c.big = new BigInt64Array(c.values.length);
            for (let j = 0; j < c.values.length; j++) c.big[j] = Number.isFinite(c.values[j]!) ? BigInt(Math.trunc(c.values[j]!)) : 0n;
          }
          c.big[i] = v;
          c.values[i] = Number(v);
        } else {
          c.values[i] = typeof v === 'number' ? v : 0;
          if (c.big) c.big[i] = typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
        }
        this.valid(i, typeof v === 'number' || typeof v === 'bigint');
    }
  }

  private valid(i: number, ok: boolean): void {
    const c = this.column as { validity?: Uint8Array };
    if (c.validity) setValid(c.validity, i, ok);
  }
}

export function scan(op: ScanOp, input: Relation, cx: OpContext): Relation {
  if (op.steps.length === 0) throw new QueryError('scan needs at least one step');
  if (op.steps.some((s) => s.optional)) throw new QueryError("scan's optional steps are not supported by kqlite's engine yet", 'KQL4010');
  const rel = materialize(input);
  const P = rel.length;
  const stepIndex = new Map(op.steps.map((s, i) => [s.name.name, i]));
  const declared = op.declare.map((d, i) => {
    const dflt = op.declareDefaults[i];
    return { name: d.name.name, type: d.type, dflt: dflt ? compileOn(cx, { columns: [], length: 1 }, dflt).eval(0) : null };
  });
  const declaredAt = new Map(declared.map((d, i) => [d.name, i]));
  const inputCol = new Map(rel.columns.map((c) => [c.name, c.column]));

  // working columns: the record's declared values, and each referenced `step.Column`
  const work: { name: string; col: WorkColumn }[] = declared.map((d) => ({ name: d.name, col: new WorkColumn(d.type, P) }));
  const refs: { step: number; column: string; col: WorkColumn }[] = [];
  const substitute = new Map<Expr, string>();
  const exprs = op.steps.flatMap((s) => [s.predicate, ...s.assignments.map((a) => a.expr)]);
  for (const e of exprs) {
    walk(e, (node) => {
      const n = node as Expr;
      if (n.kind !== 'MemberExpr' || n.target.kind !== 'NameRef' || !stepIndex.has(n.target.name)) return true;
      const step = stepIndex.get(n.target.name)!;
      const column = n.name.name;
      const type = declared.find((d) => d.name === column)?.type ?? inputCol.get(column)?.type;
      if (!type) throw new QueryError(`scan: '${n.target.name}.${column}' names no column`);
      const key = `\u0000${step}.${column}`;
      if (!refs.some((r) => r.step === step && r.column === column)) refs.push({ step, column, col: new WorkColumn(type, P) });
      substitute.set(n, key);
      return false;
    });
  }
  const scratch: Relation = {
    columns: [
      ...rel.columns.filter((c) => !declaredAt.has(c.name)),
      ...work.map((w) => ({ name: w.name, column: w.col.column })),
      ...refs.map((r) => ({ name: `\u0000${r.step}.${r.column}`, column: r.col.column })),
    ],
    length: P,
  };
  const sc: CompileScope = { ...scope(cx, scratch), substitute };
  const steps = op.steps.map((s) => ({
    output: s.output ?? 'all',
    condition: compileExpr(s.predicate, sc).eval,
    assignments: s.assignments.map((a) => ({ at: declaredAt.get(a.names[0]?.name ?? '') ?? -1, eval: compileExpr(a.expr, sc).eval })),
  }));
  if (steps.some((s) => s.assignments.some((a) => a.at < 0))) throw new QueryError('scan can assign only declared columns');

  // the rows to scan: ordered (and partitioned) as asked
  let order = physicalRows(rel);
  if (op.orderBy.length) order = sortRows(rel, op.orderBy, cx);
  const partitions: number[][] = [];
  if (op.partitionBy.length) {
    const keys = op.partitionBy.map((e) => compileOn(cx, rel, e).eval);
    const byKey = new Map<string, number[]>();
    for (const r of order) {
      const k = keys.map((f) => valueKey(f(r))).join('\u0001');
      (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(r);
    }
    partitions.push(...byKey.values());
  } else partitions.push(Array.from(order));

  const defaults = declared.map((d) => d.dflt);
  const outputs: Output[] = [];
  let nextId = 0;
  // evaluates `f` for record r against a state, the record's declared values being `values`
  const prepare = (r: number, state: State | undefined, values: Value[]) => {
    work.forEach((w, i) => w.col.set(r, values[i]!));
    for (const ref of refs) {
      const entry = state?.entries[ref.step];
      // a step without an entry reads its declared columns' defaults (and null input columns)
      const d = declaredAt.get(ref.column);
      let v: Value = d !== undefined ? defaults[d]! : null;
      if (entry) v = d !== undefined ? entry.declared[d]! : readCell(inputCol.get(ref.column)!, entry.row);
      ref.col.set(r, v);
    }
  };
  for (const rows of partitions) {
    const states: (State | undefined)[] = steps.map(() => undefined);
    const pending: (Output | undefined)[] = steps.map(() => undefined);
    const emit = (k: number, o: Output) => {
      if (steps[k]!.output === 'all') outputs.push(o);
      else if (steps[k]!.output === 'last') pending[k] = o;
    };
    const flush = (k: number) => {
      if (pending[k]) outputs.push(pending[k]!);
      pending[k] = undefined;
    };
    const matchAt = (k: number, r: number, state: State | undefined): Value[] | undefined => {
      prepare(r, state, defaults);
      if (steps[k]!.condition(r) !== true) return undefined;
      const values = defaults.slice();
      for (const a of steps[k]!.assignments) values[a.at] = a.eval(r);
      return values;
    };
    for (const r of rows) {
      for (let k = steps.length - 1; k >= 0; k--) {
        const previous = k > 0 ? states[k - 1] : undefined;
        if (previous) {
          const values = matchAt(k, r, previous);
          if (values) {
            flush(k);
            flush(k - 1);
            const entries = previous.entries.slice();
            entries[k] = { row: r, declared: values };
            states[k] = { id: previous.id, entries };
            states[k - 1] = undefined;
            emit(k, { row: r, declared: values, id: previous.id });
            continue;
          }
        }
        const own = states[k];
        if (own || k === 0) {
          const values = matchAt(k, r, own);
          if (!values) continue;
          const id = own ? own.id : nextId++;
          const entries = own ? own.entries.slice() : [];
          entries[k] = { row: r, declared: values };
          states[k] = { id, entries };
          emit(k, { row: r, declared: values, id });
        }
      }
    }
    pending.forEach((_, k) => flush(k));
  }

  // output: the input columns, the declared columns, then the match id
  const idx = Int32Array.from(outputs, (o) => o.row);
  const columns: Relation['columns'] = rel.columns.filter((c) => !declaredAt.has(c.name)).map((c) => ({ name: c.name, column: gatherColumn(c.column, idx) }));
  declared.forEach((d, i) => columns.push({ name: d.name, column: buildColumn(d.type, outputs.map((o) => o.declared[i]!)) }));
  const matchId = op.parameters.find((p) => p.name.name === 'with_match_id')?.value;
  if (matchId?.kind === 'NameRef') columns.push({ name: matchId.name, column: buildColumn('long', outputs.map((o) => o.id)) });
  return { columns, length: outputs.length };
}
