/**
 * Binding Defender XDR's built-in functions that read the workspace's DeviceNetworkInfo table:
 * `AssignedIPAddresses(x, y)` (a table source) and `T | invoke DeviceFromIP(y)`. Used only when the query
 * defines nothing of that name. Their argument types are checked as Kusto checks a function declared
 * `(x:string, y:datetime)`: an argument whose type kqlite is sure of and that is not that type is an error.
 */
import type { CallExpr, Expr } from '../syntax/ast.js';
import { Binder, type Scope } from './binder.js';
import { bindExpr } from './bind-expressions.js';
import { SEMANTIC } from './codes.js';
import { ASSIGNED_IP_COLUMNS, DEVICE_FROM_IP_COLUMNS } from './defender-functions.js';
import type { ScalarTypeName, TableSchema } from './types.js';

/** The Defender function names bound here. */
export const NETWORK_FUNCTIONS = new Set(['AssignedIPAddresses', 'DeviceFromIP']);

function checkArgs(b: Binder, call: CallExpr, scope: Scope, types: readonly ScalarTypeName[], min: number): void {
  const name = call.name.name;
  if (call.args.length < min || call.args.length > types.length) {
    const want = min === types.length ? `${min}` : `${min} or ${types.length}`;
    b.error(SEMANTIC.wrongArity, `function '${name}' expects ${want} argument${want === '1' ? '' : 's'}, got ${call.args.length}`, call.span);
  }
  call.args.forEach((a, i) => {
    const x: Expr = a.kind === 'NamedArg' ? a.value : a;
    const t = bindExpr(b, x, scope, undefined);
    const want = types[i];
    if (want && t !== want && t !== 'dynamic' && !b.guessed.has(x)) {
      b.error(SEMANTIC.typeMismatch, `${name}: argument ${i + 1} must be ${want}, not ${t}`, x.span);
    }
  });
}

/** `AssignedIPAddresses(DeviceId or DeviceName [, at])`: one row per address the device had. */
export function bindAssignedIpAddresses(b: Binder, call: CallExpr, scope: Scope): TableSchema {
  checkArgs(b, call, scope, ['string', 'datetime'], 1);
  return { columns: [...ASSIGNED_IP_COLUMNS] };
}

/** `T | invoke DeviceFromIP([at])`: T's column IP, each address with the devices that had it. */
export function bindDeviceFromIp(b: Binder, call: CallExpr, input: TableSchema, scope: Scope): TableSchema {
  checkArgs(b, call, scope, ['datetime'], 0);
  const ip = input.columns.find((c) => c.name === 'IP');
  if (!ip && !input.open) b.error(SEMANTIC.unknownColumn, "DeviceFromIP() reads the IP addresses from the input's column IP, which the input does not have (project IP = <column> first)", call.span);
  else if (ip && ip.type !== 'string' && ip.type !== 'dynamic') b.error(SEMANTIC.typeMismatch, `DeviceFromIP() reads the input's column IP as text, not ${ip.type}`, call.span);
  return { columns: [...DEVICE_FROM_IP_COLUMNS] };
}
