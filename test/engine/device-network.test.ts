// Defender's AssignedIPAddresses(x, y) and `T | invoke DeviceFromIP(y)` over DeviceNetworkInfo: the
// addresses of each adapter's latest report at or before y, the documented columns, and the documented
// example queries binding without errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySource, runQuery } from '../../src/engine/index.js';
import { toCsv } from '../../src/engine/format/encode.js';
import { tableFromRows } from '../../src/engine/storage/builders.js';
import { checkQuery, DEFENDER_TABLES } from '../../src/kql/semantics/index.js';
import type { TableSchema } from '../../src/kql/semantics/index.js';

const INFO = DEFENDER_TABLES.find((t) => t.name === 'DeviceNetworkInfo')!;
const at = (iso: string) => BigInt(Date.parse(iso)) * 10_000n;
const ips = (...list: [string, string][]) => JSON.stringify(list.map(([ip, kind]) => ({ IPAddress: ip, SubnetPrefix: 24, AddressType: kind })));
const NETS = JSON.stringify([{ Name: 'contoso.local', Description: 'contoso.local', IsConnectedToInternet: true, Category: 'Domain' }]);

function source(): MemorySource {
  const row = (t: string, id: string, name: string, adapter: string, type: string, addresses: string) =>
    ({ Timestamp: at(t), DeviceId: id, DeviceName: name, NetworkAdapterName: adapter, MacAddress: `${id}-${adapter}`, NetworkAdapterType: type, ConnectedNetworks: NETS, IPAddresses: addresses });
  const rows = [
    row('2024-05-01T08:00:00Z', 'd-a', 'ws-01.contoso.local', 'Ethernet0', 'Ethernet', ips(['10.0.0.5', 'Private'], ['fe80::1', 'Private'])),
    row('2024-05-01T09:00:00Z', 'd-b', 'ws-02.contoso.local', 'Ethernet0', 'Ethernet', ips(['10.0.0.9', 'Private'])),
    row('2024-05-02T08:00:00Z', 'd-a', 'ws-01.contoso.local', 'Ethernet0', 'Ethernet', ips(['10.0.0.9', 'Private'])),
    row('2024-05-02T08:00:00Z', 'd-a', 'ws-01.contoso.local', 'Wi-Fi', 'Wireless80211', ips(['203.0.113.7', 'Public'])),
    row('2024-05-02T09:00:00Z', 'd-b', 'ws-02.contoso.local', 'Ethernet0', 'Ethernet', ips(['10.0.0.7', 'Private'])),
  ];
  const events: TableSchema = { name: 'Events', columns: [{ name: 'LocalIP', type: 'string' }] };
  return new MemorySource(new Map([
    ['DeviceNetworkInfo', { schema: INFO, extents: [tableFromRows(INFO.columns, rows.slice(0, 2)), tableFromRows(INFO.columns, rows.slice(2))] }],
    ['Events', { schema: events, extents: [tableFromRows(events.columns, ['10.0.0.9', '10.0.0.9', '8.8.8.8', '10.0.0.5'].map((LocalIP) => ({ LocalIP })))] }],
  ]));
}

const csv = (q: string, src = source()) => {
  const r = runQuery(q, { source: src, now: at('2024-05-03T00:00:00Z') });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return toCsv(r.tables[0]!.table);
};

test('AssignedIPAddresses: the documented columns; the latest report of each adapter; by DeviceName (any case) or DeviceId', () => {
  const header = 'Timestamp,IPAddress,IPType,NetworkAdapterType,ConnectedNetworks\n';
  const latest = '2024-05-02T08:00:00.0000000Z,10.0.0.9,Private,Ethernet,' + `"${NETS.replace(/"/g, '""')}"\n` +
    '2024-05-02T08:00:00.0000000Z,203.0.113.7,Public,Wireless80211,' + `"${NETS.replace(/"/g, '""')}"\n`;
  assert.equal(csv("AssignedIPAddresses('WS-01.contoso.local')"), header + latest);
  assert.equal(csv("AssignedIPAddresses('d-a', datetime(null))"), header + latest);
  // at a time before the second report: the first report's addresses
  assert.equal(csv("AssignedIPAddresses('d-a', datetime(2024-05-01 12:00)) | project Timestamp, IPAddress, IPType"),
    'Timestamp,IPAddress,IPType\n2024-05-01T08:00:00.0000000Z,10.0.0.5,Private\n2024-05-01T08:00:00.0000000Z,fe80::1,Private\n');
  assert.equal(csv("AssignedIPAddresses('d-a', ago(2d)) | count"), 'Count\n0\n');
  assert.equal(csv("AssignedIPAddresses('no-such-device') | count"), 'Count\n0\n');
  assert.equal(csv("AssignedIPAddresses('d-a') | project n = array_length(ConnectedNetworks), c = tostring(ConnectedNetworks[0].Category) | take 1"), 'n,c\n1,Domain\n');
});

test("the reference page's second example: assigned addresses joined to network events", () => {
  const q = `let Date = datetime(2024-05-02 10:00);
let DeviceName = "ws-01.contoso.local";
AssignedIPAddresses(DeviceName, Date)
| project DeviceName, IPAddress, AssignedTime = Timestamp
| join kind=inner (Events | extend Timestamp = datetime(2024-05-02 08:30)) on $left.IPAddress == $right.LocalIP
| where Timestamp between ((AssignedTime - 1h) .. (AssignedTime + 1h))
| project DeviceName, LocalIP`;
  assert.equal(csv(q), 'DeviceName,LocalIP\nws-01.contoso.local,10.0.0.9\nws-01.contoso.local,10.0.0.9\n');
});

test('DeviceFromIP: each distinct IP with the devices that had it at the time (latest when not given)', () => {
  assert.equal(csv('Events | project IP = LocalIP | invoke DeviceFromIP()'), 'IP,DeviceId\n10.0.0.9,d-a\n');
  assert.equal(csv('Events | project IP = LocalIP | invoke DeviceFromIP(datetime(2024-05-01 12:00))'), 'IP,DeviceId\n10.0.0.9,d-b\n10.0.0.5,d-a\n');
  assert.equal(csv('Events | take 0 | project IP = LocalIP | invoke DeviceFromIP()'), 'IP,DeviceId\n');
});

test('the binder knows both: result schemas, the documented examples, wrong arguments and a missing IP column', () => {
  const errors = (q: string) => checkQuery(q).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  assert.deepEqual(errors("AssignedIPAddresses('example-device-name', ago(1d)) | where IPType == 'Public' and NetworkAdapterType == 'Ethernet' | project Timestamp, IPAddress, ConnectedNetworks"), []);
  assert.deepEqual(errors('DeviceNetworkEvents | limit 100 | project IP = LocalIP | invoke DeviceFromIP() | project IP, DeviceId'), []);
  assert.deepEqual(errors("AssignedIPAddresses('x') | project Nope"), ['KQL2001']);
  assert.deepEqual(errors('AssignedIPAddresses(1)'), ['KQL2007']);
  assert.deepEqual(errors("AssignedIPAddresses('x', 'y')"), ['KQL2007']);
  assert.deepEqual(errors('AssignedIPAddresses()'), ['KQL2004']);
  assert.deepEqual(errors('DeviceNetworkEvents | invoke DeviceFromIP()'), ['KQL2001']);
  assert.deepEqual(errors('DeviceNetworkEvents | project IP = LocalIP | invoke DeviceFromIP(1h)'), ['KQL2007']);
  // a function of the query's own with the name is the query's
  assert.deepEqual(errors('let AssignedIPAddresses = (n: long) { print x = n }; AssignedIPAddresses(1) | project x'), []);
});

test('no DeviceNetworkInfo table: no rows, with a warning saying why; bad arguments are KQL4005', () => {
  const empty = new MemorySource(new Map());
  const r = runQuery("AssignedIPAddresses('d-a')", { source: empty, now: 0n });
  assert.ok(r.ok);
  assert.equal(r.tables[0]!.table.length, 0);
  assert.match(r.warnings.join('\n'), /no DeviceNetworkInfo table/);
  const bad = runQuery('print IP = 1 | invoke DeviceFromIP()', { source: source(), now: 0n });
  assert.equal(bad.ok, false);
});
