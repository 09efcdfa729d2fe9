/**
 * `T | invoke f(args)`: calls the user function f with T as its first (tabular) argument; without one of that
 * name, Defender's FileProfile() (file-profile.ts), DeviceFromIP() (device-network.ts) and SeenBy(). SeenBy() lists the onboarded devices that
 * discovered each device: device discovery is Defender's cloud service, so a local workspace has none and the
 * column holds an empty list, with a warning saying so.
 */
import type { InvokeOp } from '../../kql/syntax/ast.js';
import { enterFunction } from '../compile/user-function.js';
import { materialize, type Relation } from '../compile/relation.js';
import { QueryError } from '../values/value.js';
import type { OpContext } from './context.js';
import { fileProfile } from './file-profile.js';
import { deviceFromIp } from './device-network.js';
import { SEEN_BY_COLUMN } from '../../kql/semantics/index.js';
import { buildColumn } from '../storage/builders.js';

export function invoke(op: InvokeOp, input: Relation, cx: OpContext): Relation {
  const entry = cx.env.lookup(op.call.name.name);
  if (!entry && op.call.name.name === 'FileProfile') return fileProfile(op, input, cx);
  if (!entry && op.call.name.name === 'SeenBy' && op.call.args.length === 0) return seenBy(input, cx);
  if (!entry && op.call.name.name === 'DeviceFromIP') return deviceFromIp(op, input, cx);
  if (entry?.kind !== 'function') throw new QueryError(`invoke: '${op.call.name.name}' is not a function defined in the query`);
  if (entry.decl.parameters[0]?.type.kind !== 'TabularParamType') throw new QueryError(`invoke: the first parameter of '${op.call.name.name}' must be a table`);
  const inner = enterFunction(entry.decl, entry.env, op.call.args, { rt: cx.rt, env: cx.env, rel: input }, input);
  return cx.rt.evalTabular(entry.decl.body.result, inner);
}

function seenBy(input: Relation, cx: OpContext): Relation {
  cx.rt.warnings.push('SeenBy(): device discovery is a Defender cloud service and a local workspace has no record of it, so every SeenBy list is empty');
  const rel = materialize(input);
  const column = buildColumn(SEEN_BY_COLUMN.type, Array.from({ length: rel.length }, () => []));
  return { columns: [...rel.columns.filter((c) => c.name !== SEEN_BY_COLUMN.name), { name: SEEN_BY_COLUMN.name, column }], length: rel.length };
}
