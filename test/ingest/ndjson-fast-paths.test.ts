// The NDJSON scanner's fast paths (json-columns.ts: word-at-a-time strings and keys, integers read as their
// digits go by; json-unescape.ts: escaped text to UTF-8 bytes; byte-dictionary.ts: the word hash) against
// the general path (JSON.parse, coerce.ts) on inputs chosen to break them: escapes, surrogates, \u0000,
// non-ASCII, numbers at the int32/int64 limits, -0, exponents, datetimes of every precision, absent, extra
// and oddly spaced keys, malformed lines (quarantined with their line numbers either way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths, type Workspace } from '../../src/ingest/index.js';
import { Unescaper } from '../../src/ingest/json-unescape.js';
import { finishHash, FNV_OFFSET, FNV_PRIME, hashBytes } from '../../src/ingest/byte-dictionary.js';
import { TableAccumulator } from '../../src/ingest/accumulate.js';
import { Kind } from '../../src/ingest/json-columns.js';
import { datetimeFromBytes, parsed } from '../../src/ingest/coerce-bytes.js';
import { joinTicks } from '../../src/engine/values/ticks.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import { contents, quarantineOf, scratchArea } from '../helpers/workspace-contents.js';

const { fresh, file } = scratchArea('kqlite-fast-paths-');

/** Escaped JSON string bodies (what lies between the quotes) and whether the fast unescape takes them. */
const ESCAPED: [string, boolean][] = [
  ['a\\"b', true], ['\\\\server\\\\share', true], ['\\/\\b\\f\\n\\r\\t', true], ['\\u0000', true], ['x\\u0000y', true],
  ['\\u0041\\u00e9\\u20ac', true], ['\\uD83D\\uDE00', true], ['\\ud83d\\ude00 tail', true], ['\\uFFFD', true], ['\\u007f\\u0080\\u07ff\\u0800', true],
  ['\\uD83D', false], ['\\uDE00', false], ['\\uD83Dx', false], ['\\uD83D\\u0041', false], ['\\uDE00\\uD83D', false], ['h\u00e9\\n', false],
];

test('escaped JSON text becomes the UTF-8 bytes of what JSON.parse gives, or is left to it', () => {
  const u = new Unescaper();
  for (const [body, fast] of ESCAPED) {
    const b = Buffer.from(`"${body}"`);
    const n = u.unescape(b, 1, b.length - 1);
    assert.equal(n >= 0, fast, body);
    if (n >= 0) assert.deepEqual(Buffer.from(u.out.subarray(0, n)), Buffer.from(JSON.parse(`"${body}"`) as string), body);
  }
  // a long value grows the scratch space
  const long = 'C:\\\\dir\\\\'.repeat(500);
  const b = Buffer.from(long);
  const n = u.unescape(b, 0, b.length);
  assert.equal(u.out.toString('utf8', 0, n), JSON.parse(`"${long}"`));
});

test('the word hash: hashBytes equals the reckoning the scanner makes (words, then the bytes after, then the finaliser)', () => {
  for (let len = 0; len <= 13; len++) {
    const b = Buffer.from('x' + 'abcdefghijklmnop'.slice(0, len) + 'y');
    let h = FNV_OFFSET;
    let k = 1;
    for (; k + 4 <= 1 + len; k += 4) h = Math.imul(h ^ b.readInt32LE(k), FNV_PRIME);
    for (; k < 1 + len; k++) h = Math.imul(h ^ b[k]!, FNV_PRIME);
    assert.equal(hashBytes(b, 1, 1 + len), finishHash(h), `length ${len}`);
  }
  // a word's high byte reaches the low bits the table indexes by
  const lows = new Set(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((t) => hashBytes(Buffer.from(t), 0, 8) & 0xff));
  assert.equal(lows.size, 4);
});

const NUMBERS = ['0', '-0', '7', '-7', '123456789012345', '-123456789012345', '1234567890123456', '9007199254740993', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '-9223372036854775809', '2147483647', '2147483648', '-2147483648', '-2147483649', '1e3', '1E+2', '-1.5e-3', '1.0', '0.5', '-0.0', '1e400'];
const DATES = ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1234567Z', '2026-01-01T00:00:00.123Z', '2026-01-01T00:00:00.123456789Z', '2026-01-01 00:00:00',
  '2024-02-29T23:59:59.9999999Z', '2023-02-29T00:00:00Z', '2026-01-01T00:00:00.1234567z', '0001-01-01T00:00:00Z', '2026-01-01T00:00:00.Z', '2026-01-01'];
/** String values as JSON text: plain (every length around a word's), non-ASCII, escaped, the same text both ways. */
const STRINGS = ['""', '"a"', '"ab"', '"abc"', '"abcd"', '"abcde"', '"abcdefgh"', '"abcdefghi"', '"h\u00f4st-\u00fc-\u2713"', '"\ud83d\ude00"', '"\\u0061bc"', '"abc"', '"\\u0000"',
  ...ESCAPED.map(([body]) => `"${body}"`), '"C:\\\\Program Files\\\\App\\\\app.exe"', '"tab\\there"'];

/**
 * Lines mixing every form above in known columns (string, datetime, int, long, bool), in two key orders. Every
 * string may be odd at once; of the cells a value can misfit, one per line is (with two, which one a line is
 * set aside for depends on the order the path visits them, which differs between the paths by design).
 */
function trickyLines(): string[] {
  const lines: string[] = [];
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  for (let i = 0; i < 800; i++) {
    const odd = i % 4;
    const j = i >> 2;
    const cells: [string, string][] = [
      ['Timestamp', `"${odd === 0 ? pick(DATES, j) : '2026-01-01T00:00:00.5Z'}"`],
      ['DeviceName', pick(STRINGS, i * 7)],
      ['RemotePort', odd === 1 ? pick(NUMBERS, j) : '443'], // int
      ['ReportId', odd === 2 ? pick(NUMBERS, j) : String(i)], // long
      ['InitiatingProcessCommandLine', pick(STRINGS, i)],
      ['RemoteIP', i % 3 === 0 ? pick(NUMBERS, i) : `"10.0.${i % 7}.${i % 250}"`], // a number into a string column
      ['IsInitiatingProcessRemoteSession', odd === 3 ? pick(['true', 'false', 'null', '1', '"true"'], j) : 'false'],
    ];
    if (i % 9 === 3) cells.splice(2, 1); // an absent key
    if (i % 2) cells.reverse(); // the other key order: prediction misses, then learns it again
    const sep = i % 13 === 5 ? ' : ' : ':';
    lines.push('{' + cells.map(([k, v]) => `"${k}"${sep}${v}`).join(i % 17 === 8 ? ' , ' : ',') + '}');
  }
  lines.push('{"DeviceNam\\u0065":"escaped key","ReportId":1}'); // an escaped key: the generic path
  lines.push('{"DeviceName":"x","ReportId":01}', '{"DeviceName":"x","ReportId":-}', '{"DeviceName":"x","ReportId":1.}', '{"DeviceName":"x","ReportId":2,}');
  lines.push('{"DeviceName":"raw\u0001control","ReportId":3}', '{"DeviceName":"bad \\x","ReportId":4}', '{"DeviceName":"cut \\u12","ReportId":5}', '{"DeviceName":"x","ReportId":6');
  lines.push('{"DeviceName":"extra","Brand":"new column","ReportId":7}', '{"DeviceName":"dup","DeviceName":"dup","ReportId":8}', '{}', '  {"DeviceName":"spaced"}  ');
  return lines;
}

async function bothPaths(path: string): Promise<{ ws: Workspace[]; results: unknown[] }> {
  const ws: Workspace[] = [];
  const results = [];
  for (const columnar of [true, false]) {
    const w = fresh();
    ws.push(w);
    const r = await ingestPaths(w, [path], { columnar, rowsPerExtent: 250 });
    results.push({ report: { ...r.files[0], file: '' }, tables: contents(w), quarantine: quarantineOf(w) });
  }
  return { ws, results };
}

test('NDJSON fast paths equal the generic JSON.parse path on tricky values, keys and lines', async () => {
  const p = file('DeviceNetworkEvents_fast.ndjson', trickyLines().join('\n') + '\n');
  const { ws, results } = await bothPaths(p);
  assert.deepStrictEqual(results[0], results[1]);
  const r = results[0] as { report: { read: number; loaded: number; quarantined: number }; quarantine: { line: number }[] };
  assert.equal(r.report.read, r.report.loaded + r.report.quarantined);
  assert.ok(r.report.quarantined > 50 && r.report.loaded > 300, JSON.stringify(r.report));
  // malformed lines are set aside with their line numbers (802: `01`; the last ones at the end of the file)
  const lines = r.quarantine.map((q) => q.line);
  for (const l of [802, 803, 804, 805, 806, 807, 808, 809]) assert.ok(lines.includes(l), `line ${l} quarantined`);
  // the same text given plain and escaped is one dictionary entry
  for (const t of ws[0]!.scan('DeviceNetworkEvents')) {
    for (const name of ['DeviceName', 'InitiatingProcessCommandLine']) {
      const c = t.columns.find((x) => x.name === name)!.column;
      if (c.type === 'string') assert.equal(new Set(c.dict).size, c.dict.length, `${name}: no string twice in a dictionary`);
    }
  }
});

test('a column of plain and escaped ASCII values equals the generic path', async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `{"DeviceName":"${i % 3 ? `h${i % 50}` : `\\u0068${i % 50}`}","InitiatingProcessCommandLine":"\\"C:\\\\App${i % 40}\\\\a.exe\\" --s ${i % 900}","ReportId":${i}}`);
  const p = file('DeviceNetworkEvents_escaped.ndjson', lines.join('\n'));
  const { results } = await bothPaths(p);
  assert.deepStrictEqual(results[0], results[1]);
});

test('escaped ASCII values keep a string column\'s dictionary bytes only (no string per value), found again plain', () => {
  const schema = { name: 'T', columns: [{ name: 'CommandLine', type: 'string' as const }] };
  const acc = new TableAccumulator('T', schema, {});
  const values: [string, number][] = [['C:\\\\x.exe', Kind.Escaped], ['\\u0068i', Kind.Escaped], ['hi', Kind.Ascii], ['C:\\\\x.exe', Kind.Escaped]];
  for (const [v, kind] of values) {
    const b = Buffer.from(`"${v}"`);
    acc.addScanned(b, Uint8Array.of(kind), Int32Array.of(1), Int32Array.of(b.length - 1), Int32Array.of(hashBytes(b, 1, b.length - 1)));
  }
  const col = acc.take().columns[0]!.column as { dict: string[]; codes: Int32Array };
  assert.ok(Object.getOwnPropertyDescriptor(col, 'dict')!.get, 'the dictionary is still bytes (decoded only when asked)');
  assert.deepEqual(col.dict, ['C:\\x.exe', 'hi']);
  assert.deepEqual([...col.codes], [0, 1, 1, 0]);
});

test('datetimes read from bytes give the general parser\'s ticks, the same day in a row or not, valid or not', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    // runs of one day (the bytes reader keeps the last day), then a jump; some days and times out of range
    const day = i % 7 ? [2024, 2, 29] : [[1, 2000, 1900, 2023, 2024, 9999][rand(6)]!, rand(14), rand(33)];
    const frac = rand(11);
    const text = `${pad(day[0]!, 4)}-${pad(day[1]!, 2)}-${pad(day[2]!, 2)}${rand(5) ? 'T' : ' '}${pad(rand(25), 2)}:${pad(rand(61), 2)}:${pad(rand(61), 2)}` +
      (frac ? '.' + pad(rand(1e9), 9).slice(0, frac - 1) : '') + ['Z', '', 'z'][rand(3)];
    const general = parseDatetimeText(text);
    const b = Buffer.from(`"${text}"`);
    if (datetimeFromBytes(b, 1, b.length - 1)) {
      accepted++;
      assert.equal(joinTicks(parsed.hi, parsed.lo), general, text);
    } else if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,9})?Z?$/.test(text)) assert.equal(general, undefined, `${text}: the canonical form is read from bytes when valid`);
  }
  assert.ok(accepted > 10_000, `${accepted} read from bytes`);
});
