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
}
