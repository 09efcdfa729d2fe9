// No silent loss or duplication at ingest, as a user meets it: a .gz is read as zcat reads it (trailing
// garbage, a bad CRC, several members) with its damage quarantined by byte; a file is known by its content,
// so the same export plain or gzipped is one file, and a file that grew is loaded from where it was left,
// lines numbered on; bytes that are not UTF-8 get a note.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { root, file } = scratchArea('kqlite-identity-');
let n = 0;
const newWs = () => join(root, `ws${++n}`);

const row = (i: number) => JSON.stringify({ Timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), DeviceId: `d${i % 9}`, DeviceName: `host-${i % 9}`, RemoteUrl: `u${i % 31}.example`, RemotePort: 443, ReportId: i });
const ndjson = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => row(from + k)).join('\n') + '\n';

const ingest = (dir: string, ...args: string[]) => runCli(['ingest', ...args, '--workspace', dir, '--threads', '1']);
async function count(dir: string): Promise<[number, number, number]> {
  const q = await runCli(['query', 'DeviceNetworkEvents | summarize count(), dcount(ReportId, 4), max(ReportId)', '--workspace', dir, '--format', 'json']);
  assert.equal(q.code, 0, q.stderr);
  return JSON.parse(q.stdout).rows[0];
}
async function quarantine(dir: string): Promise<Record<string, unknown>[]> {
  return (JSON.parse((await runCli(['quarantine', '--workspace', dir, '--format', 'json'])).stdout) as { records: Record<string, unknown>[] }).records;
}
/** A .gz made by the real gzip, as exports are. */
function gzipped(name: string, text: string): Buffer {
  const p = file(name, text);
  return execFileSync('gzip', ['-c', p], { maxBuffer: 64 << 20 });
}

test('a .gz with trailing garbage loads every record zcat reads; the garbage is quarantined with its byte and length', async () => {
  const gz = gzipped('DeviceNetworkEvents-trail.ndjson', ndjson(0, 20_000));
  const p = file('DeviceNetworkEvents-trail.ndjson.gz', Buffer.concat([gz, Buffer.from('this is not gzip\n')]));
  const zcat = (() => {
    try {
      return execFileSync('zcat', [p], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    } catch (e) {
      return (e as { stdout: Buffer }).stdout; // zcat warns (exit 2) and writes the data
    }
  })();
  assert.equal(zcat.toString().split('\n').filter(Boolean).length, 20_000);
  const dir = newWs();
  const r = await ingest(dir, p);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /read 20001, loaded 20000, quarantined 1/);
  assert.deepEqual(await count(dir), [20_000, 20_000, 19_999]);
  const [q] = await quarantine(dir);
  assert.deepEqual([q!['byte'], q!['bytes']], [gz.length, 17]);
  assert.match(String(q!['reason']), /17 bytes after the end of the gzip data are not gzip \(trailing garbage/);
});

test('a .gz whose CRC does not match loads what zcat writes and quarantines the damage; several members are all read', async () => {
  const gz = gzipped('DeviceNetworkEvents-crc.ndjson', ndjson(0, 20_000));
  const bad = Buffer.from(gz);
  bad[bad.length - 8]! ^= 0xff; // the trailer's CRC
  const dir = newWs();
  const r = await ingest(dir, file('DeviceNetworkEvents-crc.ndjson.gz', bad));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /read 20001, loaded 20000, quarantined 1/);
  assert.deepEqual(await count(dir), [20_000, 20_000, 19_999]);
  const [q] = await quarantine(dir);
  assert.equal(q!['byte'], gz.length - 8);
  assert.match(String(q!['reason']), /crc error: the gzip member ending at byte \d+ fails its CRC check/);
  // a file of several gzip members (cat a.gz b.gz) is one text, as zcat reads it
  const two = Buffer.concat([gzipped('DeviceNetworkEvents-m1.ndjson', ndjson(30_000, 30_500)), gzipped('DeviceNetworkEvents-m2.ndjson', ndjson(30_500, 31_000))]);
  const m = await ingest(newWs(), file('DeviceNetworkEvents-members.ndjson.gz', two));
  assert.match(m.stdout, /read 1000, loaded 1000, quarantined 0/);
});

test('the same export plain and gzipped is one file: the second is skipped, in one run or two, unless --force', async () => {
  const text = ndjson(0, 3000);
  const plain = file('DeviceNetworkEvents-same.ndjson', text);
  const gz = file('DeviceNetworkEvents-same.ndjson.gz', gzipSync(text));
  const dir = newWs();
  assert.match((await ingest(dir, plain)).stdout, /loaded 3000/);
  const again = await ingest(dir, gz);
  assert.match(again.stdout, /skipped .*same\.ndjson\.gz: already ingested on .* \(same content as .*same\.ndjson\)/);
  assert.deepEqual(await count(dir), [3000, 3000, 2999]);
  // both in one run, read side by side: still once
  const both = newWs();
  const r = await runCli(['ingest', plain, gz, '--workspace', both, '--threads', '2']);
  assert.match(r.stdout, /read 3000, loaded 3000, quarantined 0, files skipped 1/);
  assert.match((await ingest(dir, gz, '--force')).stdout, /loaded 3000/);
  assert.deepEqual((await count(dir))[0], 6000);
});

test('a log that grew is loaded from where it was left: only the new lines, numbered on; again, nothing', async () => {
  const dir = newWs();
  const p = file('DeviceNetworkEvents-grows.ndjson', ndjson(0, 1000));
  assert.match((await ingest(dir, p)).stdout, /read 1000, loaded 1000, quarantined 0/);
  appendFileSync(p, ndjson(1000, 1200) + '{"Timestamp": "bad line"\n' + ndjson(1200, 1500));
  const r = await ingest(dir, p);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /read 501, loaded 500, quarantined 1/);
  assert.match(r.stdout, /note: it grew since .*grows\.ndjson was ingested on .*: only what follows was loaded, from line 1001 on/);
  assert.deepEqual(await count(dir), [1500, 1500, 1499]);
  assert.deepEqual((await quarantine(dir)).map((q) => q['line']), [1201], 'the bad line keeps its line number in the grown file');
  assert.match((await ingest(dir, p)).stdout, /already ingested/);
  // grown again, and gzipped this time: the same content, so it goes on from the last version
  const gz = file('DeviceNetworkEvents-grows.ndjson.gz', gzipSync(readFileSync(p, 'utf8') + ndjson(1500, 1600)));
  assert.match((await ingest(dir, gz)).stdout, /read 100, loaded 100/);
  assert.deepEqual(await count(dir), [1600, 1600, 1599]);
});

test('a grown CSV keeps its header; a last line that was cut is read whole once it is complete', async () => {
  const dir = newWs();
  const head = 'Timestamp,DeviceName,RemotePort,ReportId\n';
  const line = (i: number) => `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,h${i},443,${i}`;
  const p = file('DeviceNetworkEvents-grows.csv', head + Array.from({ length: 50 }, (_, i) => line(i)).join('\n') + '\n' + line(50).slice(0, 15));
  const first = await ingest(dir, p);
  assert.match(first.stdout, /read 51, loaded 50, quarantined 1/, 'the cut last line is set aside');
  writeFileSync(p, head + Array.from({ length: 60 }, (_, i) => line(i)).join('\n') + '\n');
  const r = await ingest(dir, p);
  assert.match(r.stdout, /read 10, loaded 10, quarantined 0/);
  assert.match(r.stdout, /from line 52 on/);
  assert.deepEqual(await count(dir), [60, 60, 59]);
});

test('a JSON array that grew cannot be continued: skipped with a note, --force loads it whole', async () => {
  const dir = newWs();
  const rows = (k: number) => Array.from({ length: k }, (_, i) => ({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: `a${i}`, ReportId: i }));
  const p = file('DeviceNetworkEvents-array.json', JSON.stringify(rows(40), null, 1).slice(0, -2) + '\n');
  assert.match((await ingest(dir, p)).stdout, /loaded 39, quarantined 1/);
  writeFileSync(p, readFileSync(p, 'utf8') + ',' + JSON.stringify(rows(41).slice(39), null, 1).slice(1));
  const r = await ingest(dir, p);
  assert.match(r.stdout, /skipped .*array\.json: it starts with all of .*array\.json \(ingested on .*\) and goes on, but a json file cannot be read from where it grew; use --force/);
});

test('bytes that are not UTF-8 load as U+FFFD with a note saying how many and where', async () => {
  const dir = newWs();
  const lines = ndjson(0, 10).split('\n');
  const bad = Buffer.concat([Buffer.from(lines.slice(0, 6).join('\n') + '\n'), Buffer.from('{"Timestamp":"2026-01-01T00:00:00Z","DeviceName":"caf'), Buffer.from([0xe9, 0xff]), Buffer.from('","ReportId":99}\n'), Buffer.from(lines.slice(6).join('\n'))]);
  const r = await ingest(dir, file('DeviceNetworkEvents-latin1.ndjson', bad));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /note: 2 bytes are not UTF-8 and were read as U\+FFFD \(the first at line 7\)/);
  const q = await runCli(['query', 'DeviceNetworkEvents | where ReportId == 99 | project DeviceName', '--workspace', dir, '--format', 'json']);
  assert.deepEqual(JSON.parse(q.stdout).rows, [['caf\ufffd\ufffd']]);
});
