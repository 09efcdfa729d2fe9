/**
 * Defender's AssignedIPAddresses(x, y) and `T | invoke DeviceFromIP(y)`, over the workspace's
 * DeviceNetworkInfo table, where each row is one network adapter's report: its time, device, adapter and the
 * addresses it held (IPAddresses, a JSON array of {IPAddress, SubnetPrefix, AddressType}).
 *
 * The addresses a device "has at time y" are those of each of its adapters' latest report at or before y
 * (every report when y is not given or null): an address the adapter dropped later is not one of them, and
 * the time of a row is that report's, the latest time the device was seen holding the address.
 * AssignedIPAddresses(x, y) gives them for the devices whose DeviceId is x or whose DeviceName is x (names
 * compared ignoring case, as DNS names are); DeviceFromIP(y) pairs each distinct IP of the input's column
 * IP with each device that had it at y (an address no device had gives no row).
 */
import type { CallExpr, Expr, InvokeOp } from '../../kql/syntax/ast.js';
import { ASSIGNED_IP_COLUMNS, DEVICE_FROM_IP_COLUMNS, NETWORK_INFO_TABLE } from '../../kql/semantics/index.js';
import { materialize, type Relation } from '../compile/relation.js';
import { scanTable } from '../scan.js';
import { buildColumn, readCell } from '../storage/builders.js';
import { parseJson } from '../values/json.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import type { OpContext } from './context.js';
import { constantValue } from './util.js';

/** One address held by one adapter in its latest report. */
interface Assignment {
  at: bigint;
  deviceId: string;
  deviceName: string;
  ip: string;
  ipType: Value;
  adapterType: Value;
  networks: DynamicValue;
}

/** A JSON column read as its value: text is parsed (invalid text is null), a dynamic value taken as is. */
function jsonCell(v: Value): DynamicValue {
  if (typeof v !== 'string') return (v ?? null) as DynamicValue;
  try {
    return parseJson(v);
  } catch {
    return null;
  }
}

/** The `y` argument: a constant datetime, or null / absent for "the latest". */
function timeArg(e: Expr | undefined, cx: OpContext, fn: string): bigint | null {
  if (!e) return null;
  const v = constantValue(e, cx, `${fn}: the time argument`);
  if (v !== null && typeof v !== 'bigint') throw new QueryError(`${fn}: the time argument must be a datetime`, 'KQL4005');
  return v;
}

/** Every address each adapter held in its latest report at or before `at`, for the devices `keep` accepts. */
function assignments(cx: OpContext, fn: string, at: bigint | null, keep: (deviceId: string, deviceName: string) => boolean): Assignment[] {
  if (!cx.rt.source?.schema(NETWORK_INFO_TABLE)) {
    cx.rt.warnings.push(`${fn}: the workspace has no ${NETWORK_INFO_TABLE} table (ingest Defender's DeviceNetworkInfo), so no device has an address`);
    return [];
  }
  const rel = materialize(scanTable(cx.rt, NETWORK_INFO_TABLE, at === null ? undefined : { max: at }));
  const col = (name: string) => rel.columns.find((c) => c.name === name)?.column;
  const time = col('Timestamp');
  const id = col('DeviceId');
  if (!time || !id) throw new QueryError(`${fn}: the ${NETWORK_INFO_TABLE} table needs the columns Timestamp and DeviceId`, 'KQL4005');
  const [name, adapter, mac, adapterType, networks, addresses] = ['DeviceName', 'NetworkAdapterName', 'MacAddress', 'NetworkAdapterType', 'ConnectedNetworks', 'IPAddresses'].map(col);
  const cell = (c: typeof time | undefined, r: number) => (c ? readCell(c, r) : null);
  // the latest report of each adapter (device, adapter name, MAC address) at or before `at`
  const latest = new Map<string, number>();
  for (let r = 0; r < rel.length; r++) {
    const t = readCell(time, r);
    const device = readCell(id, r);
    if (typeof t !== 'bigint' || (at !== null && t > at) || typeof device !== 'string') continue;
    if (!keep(device, String(cell(name, r) ?? ''))) continue;
    const key = `${device}\u0000${String(cell(adapter, r) ?? '')}\u0000${String(cell(mac, r) ?? '')}`;
    const seen = latest.get(key);
    if (seen === undefined || (readCell(time, seen) as bigint) < t) latest.set(key, r);
  }
  const out: Assignment[] = [];
  for (const r of latest.values()) {
    const list = jsonCell(cell(addresses, r));
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      if (!a || typeof a !== 'object' || Array.isArray(a)) continue;
      const ip = (a as Record<string, DynamicValue>).IPAddress;
      if (typeof ip !== 'string' || ip === '') continue;
      const kind = (a as Record<string, DynamicValue>).AddressType;
      out.push({
        at: readCell(time, r) as bigint, deviceId: readCell(id, r) as string, deviceName: String(cell(name, r) ?? ''), ip,
        ipType: typeof kind === 'string' ? kind : null, adapterType: cell(adapterType, r), networks: jsonCell(cell(networks, r)),
      });
    }
  }
  // newest first, then by device and address: a stable order for a stable answer
  return out.sort((a, b) => (a.at !== b.at ? (a.at > b.at ? -1 : 1) : a.deviceId !== b.deviceId ? (a.deviceId < b.deviceId ? -1 : 1) : a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

function relationOf(columns: readonly { name: string; type: Parameters<typeof buildColumn>[0] }[], rows: Value[][]): Relation {
  return { columns: columns.map((c, i) => ({ name: c.name, column: buildColumn(c.type, rows.map((row) => row[i] ?? null)) })), length: rows.length };
}

/** `AssignedIPAddresses(x, y)` as a table source. */
export function assignedIpAddresses(call: CallExpr, cx: OpContext): Relation {
  const args = call.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  if (args.length < 1 || args.length > 2) throw new QueryError(`AssignedIPAddresses expects 1 or 2 arguments (a DeviceId or DeviceName, and a time), got ${args.length}`, 'KQL4005');
  const device = constantValue(args[0]!, cx, 'AssignedIPAddresses: the device');
  if (typeof device !== 'string') throw new QueryError('AssignedIPAddresses: the device must be a DeviceId or DeviceName (a string)', 'KQL4005');
  const at = timeArg(args[1], cx, 'AssignedIPAddresses');
  const lower = device.toLowerCase();
  const found = assignments(cx, 'AssignedIPAddresses', at, (id, name) => id === device || name.toLowerCase() === lower);
  return relationOf(ASSIGNED_IP_COLUMNS, found.map((a) => [a.at, a.ip, a.ipType, a.adapterType, a.networks]));
}

/** `T | invoke DeviceFromIP(y)`. */
export function deviceFromIp(op: InvokeOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  if (args.length > 1) throw new QueryError(`DeviceFromIP expects at most 1 argument (a time), got ${args.length}`, 'KQL4005');
  const at = timeArg(args[0], cx, 'DeviceFromIP');
  const rel = materialize(input);
  const ipCol = rel.columns.find((c) => c.name === 'IP')?.column;
  if (!ipCol) throw new QueryError("DeviceFromIP: the input has no column IP to read addresses from (project IP = <column> first)", 'KQL4005');
  const wanted: string[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < rel.length; r++) {
    const v = readCell(ipCol, r);
    if (typeof v === 'string' && v !== '' && !seen.has(v)) {
      seen.add(v);
      wanted.push(v);
    }
  }
  const devicesByIp = new Map<string, string[]>();
  if (wanted.length) {
    for (const a of assignments(cx, 'DeviceFromIP', at, () => true)) {
      if (!seen.has(a.ip)) continue;
      const list = devicesByIp.get(a.ip) ?? [];
      if (!list.includes(a.deviceId)) list.push(a.deviceId);
      devicesByIp.set(a.ip, list);
    }
  }
  const rows = wanted.flatMap((ip) => (devicesByIp.get(ip) ?? []).map((d) => [ip, d]));
  return relationOf(DEVICE_FROM_IP_COLUMNS, rows);
}
