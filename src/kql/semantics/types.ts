/**
 * KQL's scalar types and tabular schemas: the vocabulary shared by the binder, the engine, ingest and
 * the rules layer.
 */
import type { ScalarTypeName } from '../syntax/ast.js';

export type { ScalarTypeName };

export const SCALAR_TYPES: readonly ScalarTypeName[] = [
  'bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic',
];

/** Type aliases Kusto accepts in type positions (`typeof(...)`, column declarations, parameters). */
export const TYPE_ALIASES: Readonly<Record<string, ScalarTypeName>> = {
  bool: 'bool', boolean: 'bool',
  int: 'int', int32: 'int',
  long: 'long', int64: 'long',
  real: 'real', double: 'real',
  decimal: 'decimal',
  string: 'string',
  datetime: 'datetime', date: 'datetime',
  timespan: 'timespan', time: 'timespan',
  guid: 'guid', uuid: 'guid', uniqueid: 'guid',
  dynamic: 'dynamic',
};

export function normaliseTypeName(name: string): ScalarTypeName | undefined {
  return TYPE_ALIASES[name.toLowerCase()];
}

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
