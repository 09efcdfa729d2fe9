/**
 * Splitting a multi-column function's result (kql/semantics/multi-column.ts) into its columns: the call is
 * evaluated once per row as one dynamic value, and column k reads element or property k of it.
 */
import type { ColumnAssignment } from '../../kql/syntax/ast.js';
import { multiColumnResult } from '../../kql/semantics/multi-column.js';
import { buildColumn, readCell } from '../storage/builders.js';
import type { Column } from '../storage/column.js';
import { fromDynamic } from '../values/from-dynamic.js';
import type { DynamicValue } from '../values/value.js';

/** The named columns of an assignment whose expression expands, or undefined for an ordinary one. */
export function expandAssignment(a: ColumnAssignment, evaluate: () => Column): { name: string; column: Column }[] | undefined {
  const cols = multiColumnResult(a.expr, a.names.map((x) => x.name));
  if (!cols) return undefined;
  const whole = evaluate();
  return cols.map((c) => {
    const values = Array.from({ length: whole.length }, (_, i) => {
      const v = readCell(whole, i);
      if (v === null || typeof v !== 'object') return null;
      const part = (v as Record<string | number, DynamicValue>)[c.key];
      return part === undefined ? null : fromDynamic(part, c.type);
    });
    return { name: c.name, column: buildColumn(c.type, values) };
  });
}
