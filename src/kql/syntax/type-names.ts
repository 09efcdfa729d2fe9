/** Type names and the aliases Kusto accepts in type positions (`typeof(...)`, column declarations, parameters). */
import type { ScalarTypeName } from './ast.js';

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
