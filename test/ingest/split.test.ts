// One NDJSON file split across threads (ingest-split.ts, line-blocks.ts, ingest-part.ts) against the same
// file read by one thread: same rows, report, quarantine (with line numbers), ledger; a part meeting a new
// column has the file read again alone; a damaged .gz and a failing part behave as in one thread.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { ingestPaths, type IngestOptions } from '../../src/ingest/index.js';
import { LineBlocks, type LinePiece } from '../../src/ingest/line-blocks.js';
import { contents, ledgerOf, leftovers, quarantineOf, scratchArea } from '../helpers/workspace-contents.js';

const { root, fresh, file } = scratchArea('kqlite-split-');

/** Rows like the benchmark's, with odd lines mixed in: bad values, bad JSON, blank lines, wrappers, escapes. */
function ndjson(count: number, opts: { extraAt?: number } = {}): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 211 === 7) lines.push('{"Timestamp":"not a date","DeviceName":"bad","ReportId":1}');
    else if (i % 307 === 11) lines.push('{"Timestamp":"2026-01-01T00:00:00Z","DeviceName":');
    else if (i % 401 === 13) lines.push('');
    else if (i % 503 === 17) lines.push(JSON.stringify({ category: 'AdvancedHunting-DeviceNetworkEvents', properties: { Timestamp: '2026-01-02T00:00:00Z', DeviceName: `wrapped-${i}`, ReportId: i } }));
    else if (i === opts.extraAt) lines.push(JSON.stringify({ Timestamp: '2026-01-02T00:00:00Z', DeviceName: 'new column', Brand: 'x' }));
    else {
      const row: Record<string, unknown> = { Timestamp: new Date(Date.UTC(2026, 0, 1) + i * 37).toISOString(), DeviceName: `host-${i % 300}`, RemoteIP: `10.0.${(i >> 8) & 255}.${i & 255}`, RemotePort: [443, 80][i % 2], InitiatingProcessCommandLine: `"C:\\App${i % 40}\\a.exe" --s ${i % 900}`, ReportId: i };
      if (i % 5 === 0) delete row['RemoteIP']; // absent keys: nulls
      lines.push(JSON.stringify(row));
    }
  }
  return lines.join('\n'); // the last line unterminated
}

async function ingestBoth(path: string, extra: IngestOptions = {}) {
  const outcomes = [];
  for (const split of [false, true]) {
    const ws = fresh();
    const opts: IngestOptions = split ? { workers: 2, splitMinBytes: 0, splitBlockBytes: 8 << 10, rowsPerExtent: 3000, ...extra } : { workers: 1, rowsPerExtent: 3000, ...extra };
    const r = await ingestPaths(ws, [path], opts);
    const ledger = ledgerOf(ws).map((e) => [e.loaded, e.quarantined]);
    const { extents, threads, ...report } = r.files[0]!;
    assert.equal(threads, split && !report.extraColumns['DeviceNetworkEvents'] ? 2 : undefined, 'read by two threads when split');
    outcomes.push({ ws, extents, report, tables: contents(ws, true), quarantine: quarantineOf(ws, true), ledger, leftovers: leftovers(ws) });
  }
  return outcomes;
}

test('an NDJSON file split across threads loads what one thread loads: rows, report, quarantine lines, ledger', async () => {
  const [one, split] = await ingestBoth(file('DeviceNetworkEvents_split.ndjson.gz', gzipSync(ndjson(20_000))));
  const { ws: _a, extents: e1, ...a } = one!;
  const { ws: _b, extents: e2, ...b } = split!;
  assert.deepEqual(b, a);
  assert.ok(e2 >= e1, `each thread writes its own extents (${e2} vs ${e1})`);
  assert.deepEqual(a.leftovers, []);
  const r = a.report;
  assert.equal(r.read, r.loaded + r.quarantined);
  assert.ok(r.quarantined > 100 && r.loaded > 19_000, JSON.stringify(r));
  // quarantine entries carry the line of the file, whichever thread read it
  const lines = ndjson(20_000).split('\n');
  for (const q of a.quarantine) if (typeof q['line'] === 'number' && q['raw'] === undefined) assert.ok(lines[(q['line'] as number) - 1] !== undefined);
  assert.ok(a.quarantine.some((q) => q['line'] === 8 && /not a date|datetime/i.test(String(q['reason']))), JSON.stringify(a.quarantine.slice(0, 3)));
});

test('a split file whose lines add a column is read again by one thread, with the same result as a sequential ingest', async () => {
  const [one, split] = await ingestBoth(file('DeviceNetworkEvents_newcol.ndjson', ndjson(6000, { extraAt: 4500 })));
  const { ws: _a, extents: _e1, ...a } = one!;
  const { ws: _b, extents: _e2, ...b } = split!;
  assert.deepEqual(b, a);
  assert.deepEqual(a.report.extraColumns, { DeviceNetworkEvents: ['Brand'] });
  assert.deepEqual(b.leftovers, []);
});

test('a damaged .gz split across threads keeps the lines before the damage and quarantines the rest as one record', async () => {
  const whole = gzipSync(ndjson(20_000));
  const damaged = Buffer.from(whole);
  damaged.fill(0x41, Math.floor(whole.length * 0.6), Math.floor(whole.length * 0.6) + 64);
  const [one, split] = await ingestBoth(file('DeviceNetworkEvents_damaged.ndjson.gz', damaged));
  const { ws: _a, extents: _e1, ...a } = one!;
  const { ws: _b, extents: _e2, ...b } = split!;
  assert.deepEqual(b, a);
  assert.ok(a.quarantine.some((q) => /damaged/.test(String(q['reason']))));
  assert.ok(a.report.loaded > 5000);
});

test('a split file whose parts fail (extents cannot be written) is refused as in one thread, leaving nothing behind', async () => {
  const p = file('DeviceNetworkEvents_fails.ndjson', ndjson(9000));
  const outcomes = [];
  for (const split of [false, true]) {
    const ws = fresh();
    // a file where the table's folder should be: appending an extent fails
    mkdirSync(join(ws.dir, 'tables'), { recursive: true });
    writeFileSync(join(ws.dir, 'tables', 'DeviceNetworkEvents'), 'not a folder');
    const r = await ingestPaths(ws, [p], { rowsPerExtent: 2000, ...(split ? { workers: 2, splitMinBytes: 0, splitBlockBytes: 8 << 10 } : { workers: 1 }) });
    const f = r.files[0]!;
    outcomes.push({ refused: f.refused?.split(ws.dir).join('WS').replace(/pending-[\w-]+\.tmp/, 'pending-….tmp'), counts: [f.read, f.loaded, f.quarantined, f.extents], leftovers: leftovers(ws), ledger: ledgerOf(ws).length });
  }
  assert.deepEqual(outcomes[1], outcomes[0]);
  assert.match(outcomes[0]!.refused!, /nothing of this file was kept/);
  assert.deepEqual(outcomes[0]!.counts, [0, 0, 0, 0]);
});

test('line blocks: whole lines, first line numbers, a long line reported by number and not kept', () => {
  const pieces: LinePiece[] = [];
  const blocks = new LineBlocks((p) => pieces.push(p), 10, 25);
  const text = 'a1\nb22\nc333\n' + 'x'.repeat(40) + '\nd4\ne55';
  for (let i = 0; i < text.length; i += 3) blocks.push(Buffer.from(text.slice(i, i + 3)));
  blocks.end();
  const seen = pieces.map((p) => (p.kind === 'block' ? `${p.firstLine}:${Buffer.from(p.bytes).toString()}` : `problem ${p.line}: ${p.problem}`));
  const joined = pieces.filter((p) => p.kind === 'block').map((p) => Buffer.from((p as { bytes: Uint8Array }).bytes).toString()).join('');
  assert.equal(joined, 'a1\nb22\nc333\nd4\ne55');
  assert.ok(seen.includes('problem 4: line longer than 0 KiB, not read'), JSON.stringify(seen));
  for (const p of pieces) if (p.kind === 'block') {
    const t = Buffer.from(p.bytes).toString();
    assert.equal(text.split('\n').indexOf(t.split('\n')[0]!) + 1, p.firstLine, t);
    assert.ok(t.endsWith('\n') || t.endsWith('e55'), t);
  }
});

test('a grown file read by several threads loads only its new part; one that only starts like an ingested file is read whole', async () => {
  const ws = fresh();
  const split: IngestOptions = { workers: 2, splitMinBytes: 0, splitBlockBytes: 8 << 10, rowsPerExtent: 3000 };
  const text = ndjson(4000);
  const p = file('DeviceNetworkEvents_grows_split.ndjson', text + '\n');
  assert.equal((await ingestPaths(ws, [p], split)).files[0]!.threads, 2);
  const before = ws.tables()[0]!.rows;
  // grown: 4000 more lines; read from line 4001 on, by two threads
  const more = ndjson(8000).split('\n').slice(4000).join('\n');
  writeFileSync(p, text + '\n' + more + '\n');
  const grown = (await ingestPaths(ws, [p], split)).files[0]!;
  assert.equal(grown.read, more.split('\n').filter(Boolean).length, 'the new lines only (blank lines are no records)');
  assert.match(grown.notes!.join(), /from line 4001 on/);
  assert.ok(quarantineOf(ws).filter((q) => (q['line'] as number) > 4000).every((q) => (q['line'] as number) <= 8000));
  const after = ws.tables()[0]!.rows;
  assert.equal(after, before + grown.loaded);
  // the same first 64 KiB and more, but not the ingested content after them: read whole (nothing skipped)
  const other = file('DeviceNetworkEvents_lookalike.ndjson', text.slice(0, 70_000) + '\n' + ndjson(9000).split('\n').slice(5000).join('\n') + '\n');
  const whole = (await ingestPaths(ws, [other], split)).files[0]!;
  assert.equal(whole.notes, undefined);
  assert.ok(whole.read > 4000, `read ${whole.read}`);
});
