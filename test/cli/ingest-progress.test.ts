import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatBytes, formatDuration, formatProgress, ProgressLine } from '../../src/cli/progress.js';
import { runCli } from '../helpers/cli.js';

test('progress numbers: bytes in decimal units, durations, the line with percent, rows/s and ETA', () => {
  assert.deepEqual([0, 950, 1000, 12_345, 999_999, 1_234_567, 1.2e9, 3.5e12].map(formatBytes), ['0 B', '950 B', '1.00 kB', '12.3 kB', '1000 kB', '1.23 MB', '1.20 GB', '3.50 TB']);
  assert.deepEqual([0, 44_600, 185_000, 7_620_000].map(formatDuration), ['0s', '45s', '3m05s', '2h07m']);
  // 300 MB of 1.2 GB in 60 s: 900 MB left at 5 MB/s is 3 minutes
  assert.equal(formatProgress({ bytesDone: 300e6, bytesTotal: 1.2e9, records: 1_500_000, elapsedMs: 60_000 }), '300 MB / 1.20 GB (25%)  25,000 rows/s  ETA 3m00s');
  // no estimate before a second has passed or a byte is done
  assert.equal(formatProgress({ bytesDone: 0, bytesTotal: 5e6, records: 0, elapsedMs: 10 }), '0 B / 5.00 MB (0%)  0 rows/s  ETA ?');
  assert.match(formatProgress({ bytesDone: 10, bytesTotal: 100, records: 5, elapsedMs: 500 }), /ETA \?$/);
  // the label is cut from the left to fit the width; the numbers never are
  const line = formatProgress({ bytesDone: 1e6, bytesTotal: 2e6, records: 10, elapsedMs: 2000, label: '[1/1] a-very-long-export-file-name.ndjson.gz' }, 60);
  assert.equal(line.length, 60);
  assert.equal(line, '1.00 MB / 2.00 MB (50%)  5 rows/s  ETA 2s  …e-name.ndjson.gz');
});

test('the progress line redraws in place at most once per interval and erases itself', () => {
  let now = 0;
  const written: string[] = [];
  const line = new ProgressLine({ write: (s: string) => written.push(s), columns: 81 }, 100, () => now);
  const snap = (bytesDone: number) => ({ bytesDone, bytesTotal: 100, records: bytesDone, elapsedMs: now });
  for (now = 0; now < 1000; now += 10) line.update(snap(now / 10)); // 100 updates over one second
  assert.equal(written.length, 10);
  assert.ok(written.every((w) => w.startsWith('\r') && w.endsWith('\x1b[K') && !w.includes('\n') && w.length <= 80 + 4));
  line.clear();
  assert.equal(written.at(-1), '\r\x1b[K');
  const quiet: string[] = [];
  new ProgressLine({ write: (s: string) => quiet.push(s) }).clear(); // nothing drawn, nothing erased
  assert.deepEqual(quiet, []);
});

const root = mkdtempSync(join(tmpdir(), 'kqlite-progress-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('kqlite ingest with stderr not a terminal prints no progress, only the report on stdout', async () => {
  const f = join(root, 'DeviceNetworkEvents.ndjson');
  writeFileSync(f, Array.from({ length: 2000 }, (_, i) => JSON.stringify({ Timestamp: '2026-01-01T00:00:00Z', DeviceName: `h${i}`, ReportId: i })).join('\n') + '\n');
  const r = await runCli(['ingest', f, '--workspace', join(root, 'ws')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.doesNotMatch(r.stdout, /\r|rows\/s|ETA/);
  assert.match(r.stdout, /read 2000, loaded 2000, quarantined 0\n$/);
});
