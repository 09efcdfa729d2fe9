// geo_info_from_ip_address(): DB-IP City Lite (shipped by an npm package) read lazily, offline, in the
// reference's shape. Places are checked for well-known addresses only at country level (the database is
// refreshed monthly; its version is pinned by package-lock.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { geoIpLoaded } from '../../src/engine/functions/geo-ip.js';

const row = (q: string) => {
  const r = runQuery(q, { now: 0n });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  return encodedRows(r.tables[0]!.table)[0]!;
};

test('nothing is read until the function runs; IPv4 reads only the IPv4 database', () => {
  assert.deepEqual(geoIpLoaded(), { v4: false, v6: false });
  row("print geo_info_from_ip_address('8.8.8.8')");
  assert.deepEqual(geoIpLoaded(), { v4: true, v6: false });
});

test('the documented shape, the country by name, for IPv4, IPv6 and IPv4-mapped addresses', () => {
  const [v4, v6, mapped] = row("print geo_info_from_ip_address('20.53.203.50'), geo_info_from_ip_address('2a03:2880:f12c:83:face:b00c::25de'), geo_info_from_ip_address('::ffff:20.53.203.50')") as Record<string, unknown>[];
  assert.deepEqual(Object.keys(v4!), ['country', 'state', 'city', 'latitude', 'longitude']);
  assert.equal(v4!['country'], 'Australia');
  assert.equal(typeof v4!['latitude'], 'number');
  assert.ok(Math.abs((v4!['latitude'] as number) + 33.87) < 1, String(v4!['latitude'])); // Sydney, as the reference's example
  assert.equal(v6!['country'], 'United States');
  assert.deepEqual(mapped, v4);
});

test('a private address has no place (an empty bag); text that is not an address is null; a column of addresses works', () => {
  assert.deepEqual(row("print geo_info_from_ip_address('10.1.2.3'), geo_info_from_ip_address('fe80::1'), geo_info_from_ip_address('not an ip'), geo_info_from_ip_address('1.2.3.4/24')"), [{}, {}, null, null]);
  const r = runQuery("datatable(ip:string)['8.8.8.8', '10.0.0.1', '8.8.8.8'] | extend country = tostring(geo_info_from_ip_address(ip).country) | summarize count() by country", { now: 0n });
  assert.ok(r.ok);
  assert.deepEqual(encodedRows(r.tables[0]!.table), [['United States', 2], ['', 1]]);
});
