// Extent checksums (format 4): every buffer of every column kind, flipped one bit at a time, is caught when a
// query reads it (a scan, or a lookup through the row index), and a query that does not read it answers
// exactly as before: damage is an error naming the extent and column, never a wrong answer.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toJsonResult } from '../../src/engine/format/encode.js';
import { runQuery } from '../../src/engine/index.js';
import { buildColumn } from '../../src/engine/storage/builders.js';
import { Workspace } from '../../src/store/workspace.js';
import { SAMPLE_SCHEMA, sampleTable } from '../helpers/sample-tables.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { fresh } = scratchArea('kqlite-checksums-');

test('a flipped bit anywhere in a column\'s buffers is caught by the queries that read it', () => {
  const ws = fresh();
  ws.append('Sample', SAMPLE_SCHEMA, sampleTable(0, 300, { lone: false }));
  const extent = join(ws.dir, 'tables', 'Sample', readdirSync(join(ws.dir, 'tables', 'Sample')).find((e) => e.startsWith('e-'))!);
  const meta = JSON.parse(readFileSync(join(extent, 'meta.json'), 'utf8')) as { format: string; columns: { name: string; type: string; checks: [number, number][] }[] };
  assert.equal(meta.format, 'kqlite-extent/5');
  const good = readFileSync(join(extent, 'data.bin'));
  const queries = (c: { name: string; type: string }) => [
    `Sample | summarize count(), dcount(${c.name}), x = take_any(${c.name})`,
    ...(c.type === 'string' ? [`Sample | where ${c.name} == 'host-3' or ${c.name} in~ ('a.b.c', 'X') | count`] : []),
    ...(c.type === 'guid' ? [`Sample | where ${c.name} == guid(00000000-0000-0000-0000-000000000003) | count`] : []),
  ];
  const answer = (q: string) => {
    const r = runQuery(q, { source: Workspace.open(ws.dir), now: 17_674_000_000_000_000n });
    return r.ok ? { ok: JSON.stringify(toJsonResult(r.tables[0]!.table)) } : { error: r.diagnostics.map((d) => d.message).join('; ') };
  };
  const want = new Map(meta.columns.flatMap((c) => queries(c).map((q) => [q, answer(q)] as const)));
  let buffers = 0;
  for (const c of meta.columns) {
    for (const [at] of c.checks) {
      buffers++;
      const bad = Buffer.from(good);
      bad[at]! ^= 0x01;
      writeFileSync(join(extent, 'data.bin'), bad);
      let caught = 0;
      for (const q of queries(c)) {
        const got = answer(q);
        if ('ok' in got) assert.deepEqual(got, want.get(q), `${c.name} @${at}: a wrong answer from ${q}`);
        else {
          assert.match(got.error, new RegExp(`column ${c.name}: data\\.bin bytes ${at}-\\d+ do not match their checksum`), `${c.name} @${at}`);
          caught++;
        }
      }
      assert.ok(caught > 0, `${c.name} @${at}: no query read the damaged buffer`);
    }
  }
  writeFileSync(join(extent, 'data.bin'), good);
  assert.ok(buffers >= meta.columns.length, `${buffers} buffers checked`);
});

test('an IPv4 dictionary stored as numbers is checked too, and a truncated data.bin is named as damaged', () => {
  const ws = fresh();
  const ips = Array.from({ length: 300 }, (_, i) => `10.1.${i >> 4}.${(i * 7) & 255}`);
  const schema = { name: 'Net', columns: [{ name: 'RemoteIP', type: 'string' as const }] };
  ws.append('Net', schema, { length: ips.length, columns: [{ name: 'RemoteIP', column: buildColumn('string', ips) }] });
  const extent = join(ws.dir, 'tables', 'Net', readdirSync(join(ws.dir, 'tables', 'Net')).find((e) => e.startsWith('e-'))!);
  const meta = JSON.parse(readFileSync(join(extent, 'meta.json'), 'utf8')) as { columns: { dictIpv4?: unknown; checks: [number, number][] }[] };
  assert.ok(meta.columns[0]!.dictIpv4, 'the addresses are stored as numbers');
  const good = readFileSync(join(extent, 'data.bin'));
  const query = () => runQuery("Net | where RemoteIP == '10.1.3.94' | count", { source: Workspace.open(ws.dir) });
  assert.ok(query().ok);
  for (const [at] of meta.columns[0]!.checks) {
    const bad = Buffer.from(good);
    bad[at]! ^= 0x10;
    writeFileSync(join(extent, 'data.bin'), bad);
    assert.match(query().diagnostics.map((d) => d.message).join('; '), new RegExp(`column RemoteIP: data\\.bin bytes ${at}-\\d+ do not match their checksum`));
  }
  writeFileSync(join(extent, 'data.bin'), good.subarray(0, good.length - 5));
  assert.match(query().diagnostics.map((d) => d.message).join('; '), /data\.bin is damaged: shorter than its meta\.json says/);
  writeFileSync(join(extent, 'data.bin'), good);
  assert.deepEqual(toJsonResult(query().tables[0]!.table).rows, [[1]]);
});
