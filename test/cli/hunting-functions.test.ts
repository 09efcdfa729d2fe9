// What real hunting queries use, through `kqlite query` over a workspace: FileProfile() fed by an ingested
// FileProfiles table, AssignedIPAddresses() and DeviceFromIP() over an ingested DeviceNetworkInfo, ingestion_time(), search, find, evaluate pivot, geo_info_from_ip_address; and what the
// corpus run over real-world queries added: table() of a function's parameter, parse_xml of event XML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../src/ingest/index.js';
import { runCli } from '../helpers/cli.js';

let root: string;
let ws: string;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'kqlite-huntfn-'));
  ws = join(root, 'ws');
  createDemoWorkspace(ws, { devices: 6, days: 1 });
  const sha = await runCli(['query', '--workspace', ws, '--format', 'csv', 'DeviceFileCertificateInfo | where isnotempty(SHA1) | take 1 | project SHA1']);
  const file = join(root, 'FileProfiles.csv');
  writeFileSync(file, `SHA1,GlobalPrevalence,Signer\n${sha.stdout.trim().split('\n')[1]!.toUpperCase()},7,Tiny Signer\n`);
  const ing = await runCli(['ingest', file, '--workspace', ws, '--table', 'FileProfiles']);
  assert.equal(ing.code, 0, ing.stderr);
  // one adapter report for a demo device, holding the address its network events come from
  const dev = await runCli(['query', '--workspace', ws, '--format', 'csv', 'DeviceNetworkEvents | where isnotempty(LocalIP) | take 1 | project DeviceId, DeviceName, LocalIP']);
  [deviceId, deviceName, localIp] = dev.stdout.trim().split('\n')[1]!.split(',') as [string, string, string];
  const info = join(root, 'DeviceNetworkInfo.json');
  writeFileSync(info, JSON.stringify({ Timestamp: '2020-01-01T00:00:00Z', DeviceId: deviceId, DeviceName: deviceName, NetworkAdapterName: 'Ethernet0', NetworkAdapterType: 'Ethernet',
    ConnectedNetworks: JSON.stringify([{ Name: 'contoso.local', Category: 'Domain' }]), IPAddresses: JSON.stringify([{ IPAddress: localIp, SubnetPrefix: 24, AddressType: 'Private' }]) }) + '\n');
  const ni = await runCli(['ingest', info, '--workspace', ws, '--table', 'DeviceNetworkInfo']);
  assert.equal(ni.code, 0, ni.stderr);
  // a later report of a second adapter, in a second file: a second extent
  const wifi = join(root, 'DeviceNetworkInfo-wifi.json');
  writeFileSync(wifi, JSON.stringify({ Timestamp: '2020-01-02T00:00:00Z', DeviceId: deviceId, DeviceName: deviceName, NetworkAdapterName: 'Wi-Fi', NetworkAdapterType: 'Wireless80211',
    ConnectedNetworks: '[]', IPAddresses: JSON.stringify([{ IPAddress: '192.0.2.10', SubnetPrefix: 24, AddressType: 'Public' }]) }) + '\n');
  const nw = await runCli(['ingest', wifi, '--workspace', ws, '--table', 'DeviceNetworkInfo']);
  assert.equal(nw.code, 0, nw.stderr);
});
let deviceId: string, deviceName: string, localIp: string;
after(() => rmSync(root, { recursive: true, force: true }));

const csv = async (q: string) => {
  const r = await runCli(['query', '--workspace', ws, '--format', 'csv', q]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};

test('FileProfile enriches from the FileProfiles table; a low-prevalence filter keeps that file', async () => {
  assert.equal(await csv('DeviceFileCertificateInfo | where isnotempty(SHA1) | project SHA1 | invoke FileProfile(SHA1, 1000) | where GlobalPrevalence < 15 | distinct Signer, ProfileAvailability'), 'Signer,ProfileAvailability\nTiny Signer,Available\n');
});

test("AssignedIPAddresses() and DeviceFromIP() read the workspace's DeviceNetworkInfo", async () => {
  assert.equal(await csv(`AssignedIPAddresses('${deviceName.toUpperCase()}') | project Timestamp, IPAddress, IPType, NetworkAdapterType, c = tostring(ConnectedNetworks[0].Category)`),
    `Timestamp,IPAddress,IPType,NetworkAdapterType,c\n2020-01-02T00:00:00.0000000Z,192.0.2.10,Public,Wireless80211,\n2020-01-01T00:00:00.0000000Z,${localIp},Private,Ethernet,Domain\n`);
  assert.equal(await csv(`AssignedIPAddresses('${deviceId}', datetime(2020-01-01 12:00)) | project IPAddress`), `IPAddress\n${localIp}\n`);
  assert.equal(await csv(`AssignedIPAddresses('${deviceId}', datetime(2019-12-31)) | count`), 'Count\n0\n');
  assert.equal(await csv(`DeviceNetworkEvents | where LocalIP == '${localIp}' | take 100 | project IP = LocalIP | invoke DeviceFromIP()`), `IP,DeviceId\n${localIp},${deviceId}\n`);
});

test('extent_id() names each workspace extent by a stable guid; extent_tags() is an empty list there', async () => {
  const tables = JSON.parse((await runCli(['tables', '--workspace', ws, '--format', 'json'])).stdout) as { tables: { name: string; extents: number }[] };
  assert.equal(tables.tables.find((t) => t.name === 'DeviceNetworkInfo')!.extents, 2);
  const ids = await csv('DeviceNetworkInfo | summarize n = count() by e = extent_id(), tags = tostring(extent_tags()) | order by n asc, e asc');
  const rows = ids.trim().split('\n').slice(1);
  assert.equal(rows.length, 2);
  for (const r of rows) assert.match(r, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12},\[\],1$/);
  assert.equal(await csv('DeviceNetworkInfo | summarize n = count() by e = extent_id(), tags = tostring(extent_tags()) | order by n asc, e asc'), ids, 'the same ids on a second run');
  const first = rows[0]!.split(',')[0]!;
  assert.equal(await csv(`DeviceNetworkInfo | where extent_id() == guid(${first}) | count`), 'Count\n1\n');
  assert.equal(await csv('DeviceInfo | summarize dcount(extent_id()) | project same = dcount_ > 0'), 'same\ntrue\n');
  assert.equal(await csv('print db = current_database()'), 'db\nkqlite\n');
});

test('ingestion_time() is set for stored rows and null for a datatable', async () => {
  assert.equal(await csv('DeviceInfo | summarize missing = countif(isnull(ingestion_time())), n = count() | project missing, some = n > 0'), 'missing,some\n0,true\n');
  assert.equal(await csv('datatable(a:long)[1] | project none = isnull(ingestion_time())'), 'none\ntrue\n');
});

test('search and find across the workspace; evaluate pivot; geo_info_from_ip_address offline', async () => {
  const s = await csv('search in (DeviceProcessEvents, DeviceNetworkEvents) "anydesk*" | distinct $table | order by $table asc');
  assert.match(s, /^\$table\n/);
  const f = await csv('find in (DeviceProcessEvents, DeviceNetworkEvents) where InitiatingProcessFileName =~ "AnyDesk.exe" or FileName =~ "AnyDesk.exe" project DeviceName | summarize by source_ | order by source_ asc');
  assert.match(f, /^source_\n/);
  const p = await csv('DeviceNetworkEvents | where RemotePort in (443, 80) | evaluate pivot(RemotePort, count(), DeviceName) | getschema | where ColumnName in ("443", "80") | project ColumnName | order by ColumnName asc');
  assert.match(p, /^ColumnName\n(443\n)?(80\n)?$/);
  assert.equal(await csv("print c = tostring(geo_info_from_ip_address('8.8.8.8').country)"), 'c\nUnited States\n');
});

test('table() of a function parameter over the workspace; parse_xml of Windows event XML', async () => {
  assert.equal(await csv('let n = (t: string) { table(t) | summarize c = count() | project some = c > 0 }; n("DeviceInfo")'), 'some\ntrue\n');
  const xml = '<Event><EventData><Data Name=\\"TargetUserName\\">alice</Data></EventData></Event>';
  assert.equal(await csv(`print d = parse_xml("${xml}").Event.EventData.Data | project name = tostring(d["@Name"]), value = tostring(d["#text"])`), 'name,value\nTargetUserName,alice\n');
});
