/**
 * KQL's scalar types and tabular schemas: the vocabulary shared by the binder, the engine, ingest and
 * the rules layer.
 */
import type { ScalarTypeName } from '../syntax/ast.js';

export type { ScalarTypeName };

export const SCALAR_TYPES: readonly ScalarTypeName[] = [
  'bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic',
];

export { TYPE_ALIASES, normaliseTypeName } from '../syntax/type-names.js';

export interface ColumnSchema {
  name: string;
  type: ScalarTypeName;
  description?: string;
}

/** The result schema of a tabular expression or a stored table. */
export interface TableSchema {
  name?: string;
  columns: ColumnSchema[];
  /** True when more columns may exist than listed (plugins, bag_unpack, tabular parameters with `*`). */
  open?: boolean;
  /** Set when the expression is a graph (make-graph, graph()), not a table: only graph operators take it. */
  graph?: GraphSchema;
}

/** The properties of a graph's nodes and edges (columns of the node tables and of the edge rows). */
export interface GraphSchema {
  nodes: TableSchema;
  edges: TableSchema;
}

/** Numeric types in promotion order. */
const NUMERIC_RANK: Partial<Record<ScalarTypeName, number>> = { int: 1, long: 2, decimal: 3, real: 4 };

export function isNumeric(t: ScalarTypeName | undefined): boolean {
  return t !== undefined && NUMERIC_RANK[t] !== undefined;
}

/** Kusto's arithmetic promotion: int < long < decimal < real. */
export function promoteNumeric(a: ScalarTypeName, b: ScalarTypeName): ScalarTypeName {
  return (NUMERIC_RANK[a] ?? 0) >= (NUMERIC_RANK[b] ?? 0) ? a : b;
}

/** Arithmetic ranks numbers int < long < real < decimal (Kusto.Language: a real plus a decimal is a decimal). */
const ARITHMETIC_RANK: Partial<Record<ScalarTypeName, number>> = { int: 1, long: 2, real: 3, decimal: 4 };

/** `a op b` of two numbers, as Kusto.Language types it: at least a long (int + int is a long), else the wider. */
function arithmeticNumber(a: ScalarTypeName, b: ScalarTypeName): ScalarTypeName {
  return [a, b].reduce<ScalarTypeName>((acc, t) => (ARITHMETIC_RANK[t]! > ARITHMETIC_RANK[acc]! ? t : acc), 'long');
}

/**
 * `a op b` where one side is dynamic, typed as Kusto.Language types it: the other side decides (a number
 * gives long or wider, a datetime gives datetime for + and timespan for -, a timespan gives timespan for + and
 * -); two dynamics, or a timespan multiplied or divided by a dynamic (which Kusto.Language rejects), dynamic.
 */
function dynamicArithmetic(op: string, other: ScalarTypeName): ScalarTypeName {
  if (isNumeric(other)) return arithmeticNumber('long', other);
  if ((other === 'datetime' || other === 'timespan') && (op === '+' || op === '-')) return other === 'datetime' && op === '-' ? 'timespan' : other;
  return 'dynamic';
}

/** Result type of `a op b` for + - * / %, or undefined when Kusto rejects the combination. */
export function arithmeticResult(op: string, a: ScalarTypeName, b: ScalarTypeName): ScalarTypeName | undefined {
  if (a === 'dynamic' || b === 'dynamic') return dynamicArithmetic(op, a === 'dynamic' ? b : a);
  if (isNumeric(a) && isNumeric(b)) return arithmeticNumber(a, b);
  if (op === '+' || op === '-') {
    if (a === 'datetime' && b === 'timespan') return 'datetime';
    if (a === 'timespan' && b === 'datetime' && op === '+') return 'datetime';
    if (a === 'datetime' && b === 'datetime' && op === '-') return 'timespan';
    if (a === 'timespan' && b === 'timespan') return 'timespan';
  }
  if (op === '*' && ((a === 'timespan' && isNumeric(b)) || (isNumeric(a) && b === 'timespan'))) return 'timespan';
  if (op === '/' && a === 'timespan' && isNumeric(b)) return 'timespan';
  if (op === '/' && a === 'timespan' && b === 'timespan') return 'real';
  if (op === '%' && a === 'timespan' && b === 'timespan') return 'timespan';
  return undefined;
}
