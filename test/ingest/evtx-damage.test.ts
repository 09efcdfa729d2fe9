// EVTX as it comes off real machines: every substitution value type, event data near a chunk's size, files cut
// at every 4 KiB of a chunk, a record whose size field is damaged, a chunk of zeros between written ones, and
// a log copied while open (dirty) whose newest chunk holds records its header does not count yet. What can be
// read is read; what cannot is reported where it lies, and the records lost are counted.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32 } from '../../src/store/crc32.js';
import { readEvtx, type EvtxItem } from '../../src/ingest/evtx/reader.js';
import { ingestPaths, readQuarantine } from '../../src/ingest/index.js';
import { filetimeOf, str, writeEvtx, type WEvent, type WValue } from '../helpers/evtx-writer.js';
import { sysmonEvents } from '../helpers/sysmon-events.js';
import { scratchArea } from '../helpers/workspace-contents.js';

const { root, fresh, file } = scratchArea('kqlite-evtx-damage-');

async function read(buf: Buffer): Promise<EvtxItem[]> {
  async function* one() {
    yield buf;
  }
  const out: EvtxItem[] = [];
  for await (const it of readEvtx(one())) out.push(it);
  return out;
}
const records = (items: EvtxItem[]) => items.filter((i) => i.record).map((i) => i.record!);
const problems = (items: EvtxItem[]) => items.filter((i) => i.problem).map((i) => i.problem!.reason);
const losses = (items: EvtxItem[]) => items.flatMap((i) => ('lost' in i && i.lost ? [i.lost] : []));
const chunkAt = (i: number) => 4096 + i * 65536;

function markDirty(buf: Buffer): void {
  buf.writeUInt32LE(1, 120);
  buf.writeUInt32LE(crc32(buf.subarray(0, 120)), 124);
}

const raw = (type: number, bytes: Buffer | number[]): WValue => ({ t: 'raw', type, bytes: Buffer.from(bytes) });
const le = (bits: 16 | 32 | 64, ...vs: (number | bigint)[]) => {
  const b = Buffer.alloc((bits / 8) * vs.length);
  vs.forEach((v, i) => (bits === 16 ? b.writeInt16LE(Number(v), i * 2) : bits === 32 ? b.writeInt32LE(Number(v), i * 4) : b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), i * 8)));
  return b;
};
const systemtime = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) => le(16, y, mo, 0, d, h, mi, s, ms);
const guidBytes = Buffer.from('78563412bc9af0de0123456789abcdef', 'hex');
const sidBytes = Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0]);

test('every substitution value type reads as evtx_dump writes it (64-bit integers beyond 2^53 as exact digits)', async () => {
  const data: [string, WValue, unknown][] = [
    ['Int8', raw(0x03, [0xfb]), -5],
    ['UInt8', raw(0x04, [250]), 250],
    ['Int16', raw(0x05, le(16, -300)), -300],
    ['UInt16', raw(0x06, le(16, 65000 - 65536)), 65000],
    ['Int32', raw(0x07, le(32, -70000)), -70000],
    ['UInt32', raw(0x08, le(32, -1)), 4294967295],
    ['Int64', raw(0x09, le(64, -(2n ** 40n))), -(2 ** 40)],
    ['UInt64Big', raw(0x0a, le(64, 2n ** 60n + 1n)), '1152921504606846977'],
    ['Int64Min', raw(0x09, le(64, -(2n ** 63n))), '-9223372036854775808'],
    ['Real32', raw(0x0b, (() => { const b = Buffer.alloc(4); b.writeFloatLE(0.1); return b; })()), 0.1],
    ['Real64', raw(0x0c, (() => { const b = Buffer.alloc(8); b.writeDoubleLE(-1.5e300); return b; })()), -1.5e300],
    ['Bool', raw(0x0d, le(32, 1)), true],
    ['Binary', raw(0x0e, [0x00, 0xab, 0x10]), '00AB10'],
    ['Guid', raw(0x0f, guidBytes), '12345678-9ABC-DEF0-0123-456789ABCDEF'],
    ['SizeT', raw(0x10, le(64, 0x1234abcdn)), '0x1234abcd'],
    ['FileTime', raw(0x11, le(64, filetimeOf(Date.UTC(2024, 4, 1, 10, 0, 1, 123), 4567))), '2024-05-01T10:00:01.1234567Z'],
    ['SysTime', raw(0x12, systemtime(2024, 2, 29, 23, 59, 58, 999)), '2024-02-29T23:59:58.9990000Z'],
    ['SysTimeBad', raw(0x12, systemtime(2023, 2, 29, 0, 0, 0, 0)), null],
    ['Sid', raw(0x13, sidBytes), 'S-1-5-32-544'],
    ['HexInt32', raw(0x14, le(32, 0x1f)), '0x1f'],
    ['HexInt64', raw(0x15, le(64, 0x7fffffffffffffffn)), '0x7fffffffffffffff'],
    ['Ansi', raw(0x02, Buffer.from('caf\xe9\0', 'latin1')), 'café'],
    ['StringArray', raw(0x81, Buffer.from('one\0two\0\0three\0', 'utf16le')), ['one', 'two', '', 'three']],
    ['UInt16Array', raw(0x86, le(16, 1, 2, 3)), [1, 2, 3]],
    ['Int32Array', raw(0x87, le(32, -1, 7)), [-1, 7]],
    ['UInt64Array', raw(0x8a, le(64, 5n, 2n ** 63n)), [5, '9223372036854775808']],
    ['GuidArray', raw(0x8f, Buffer.concat([guidBytes, guidBytes])), ['12345678-9ABC-DEF0-0123-456789ABCDEF', '12345678-9ABC-DEF0-0123-456789ABCDEF']],
    ['SidArray', raw(0x93, Buffer.concat([sidBytes, Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])])), ['S-1-5-32-544', 'S-1-5-18']],
    ['HexInt64Array', raw(0x95, le(64, 1n, 255n)), ['0x1', '0xff']],
    ['FileTimeArray', raw(0x91, le(64, filetimeOf(0))), ['1970-01-01T00:00:00.0000000Z']],
    ['BoolArray', raw(0x8d, le(32, 0, 1)), [false, true]],
    ['Null', { t: 'null' }, null],
    ['Text', str('plain'), 'plain'],
  ];
  const e: WEvent = { provider: 'Test-Provider', eventId: 7, time: filetimeOf(Date.UTC(2024, 0, 1)), recordId: 1, channel: 'Application', computer: 'pc', data: data.map(([n, v]) => [n, v]) };
  const items = await read(writeEvtx([e]));
  assert.deepEqual(problems(items), []);
  const got = (records(items)[0]!.event['Event'] as { EventData: Record<string, unknown> }).EventData;
  assert.deepEqual(got, Object.fromEntries(data.map(([n, , want]) => [n, want])));
  // through ingest: the values reach the WindowsEvent row's EventData exactly
  const ws = fresh();
  const r = await ingestPaths(ws, [file('types.evtx', writeEvtx([e]))], { workers: 1 });
  assert.deepEqual([r.read, r.loaded, r.quarantined], [1, 1, 0]);
});

test('event data near a chunk in size (a 30,000-character command line) reads whole', async () => {
  const big = 'powershell -enc ' + 'A'.repeat(29_984);
  const events = [...sysmonEvents(3, { seed: 3 })];
  events[1]!.data = [['CommandLine', str(big)], ['Image', str('C:\\x.exe')]];
  const items = await read(writeEvtx(events));
  assert.deepEqual(problems(items), []);
  assert.equal(((records(items)[1]!.event['Event'] as { EventData: Record<string, unknown> }).EventData)['CommandLine'], big);
});

test('a file cut at every 4 KiB of a chunk: the records before the cut load, the cut one and the rest of the chunk are counted lost', async () => {
  const whole = writeEvtx(sysmonEvents(500, { seed: 8 }));
  const all = records(await read(whole));
  const inChunk1 = all.filter((r) => r.chunk === 1);
  for (let k = 0; k < 16; k++) {
    const cut = chunkAt(1) + k * 4096;
    const items = await read(whole.subarray(0, cut));
    const got = records(items);
    // every record that ends before the cut, nothing else
    const before = all.filter((r) => r.chunk === 0 || (r.chunk === 1 && r.byte + 24 < cut && whole.readUInt32LE(r.byte + 4) + r.byte <= cut));
    assert.deepEqual(got.map((r) => r.recordId), before.map((r) => r.recordId), `cut at 4 KiB × ${k}`);
    if (k === 0) {
      assert.deepEqual(problems(items), []); // the file ends exactly where a chunk would start
      continue;
    }
    assert.ok(problems(items).length >= 1, `cut at 4 KiB × ${k}: reported`);
    assert.ok(problems(items).every((p) => /^(chunk 1: the file ends|record \d+: the file ends inside this record)/.test(p)), problems(items).join('\n'));
    const lostCount = k === 0 ? 0 : inChunk1.length - (before.length - all.filter((r) => r.chunk === 0).length);
    assert.deepEqual(losses(items), k < 1 ? [] : [{ chunk: 1, records: lostCount }], `cut at 4 KiB × ${k}`);
  }
  // through ingest: the lost records are a note beside the quarantined places
  const ws = fresh();
  const r = await ingestPaths(ws, [file('cut.evtx', whole.subarray(0, chunkAt(1) + 5 * 4096))], { workers: 1 });
  const loadedIn1 = r.loaded - all.filter((x) => x.chunk === 0).length;
  assert.equal(r.read, r.loaded + r.quarantined);
  assert.deepEqual(r.files[0]!.notes, [`${inChunk1.length - loadedIn1} records of damaged chunks could not be read (by their chunk headers' counts)`]);
});

test('a damaged record size in a file copied while open: that record is lost, reading resumes at the next one in the chunk', async () => {
  const buf = writeEvtx(sysmonEvents(300, { seed: 9 }));
  markDirty(buf);
  const before = records(await read(buf));
  const victim = before.filter((r) => r.chunk === 1)[4]!;
  buf.writeUInt32LE(0x00ffff00, victim.byte + 4); // its size
  const items = await read(buf);
  assert.deepEqual(records(items).map((r) => r.recordId), before.filter((r) => r !== victim).map((r) => r.recordId));
  const size = before.filter((r) => r.chunk === 1)[5]!.byte - victim.byte;
  assert.deepEqual(problems(items), [`chunk 1: record ${victim.recordId}: size ${0x00ffff00} does not fit the chunk; ${size} bytes skipped, reading resumed at record ${victim.recordId + 1}`]);
  assert.deepEqual(losses(items), [{ chunk: 1, records: 1 }]);
});

test('a chunk of zeros between written chunks is reported lost; zeros at the end (preallocated) are not', async () => {
  const whole = writeEvtx(sysmonEvents(500, { seed: 10 }));
  const all = records(await read(whole));
  const chunks = Math.max(...all.map((r) => r.chunk)) + 1;
  const wiped = Buffer.concat([whole, Buffer.alloc(2 * 65536)]);
  wiped.fill(0, chunkAt(1), chunkAt(2));
  const items = await read(wiped);
  assert.deepEqual(records(items).map((r) => r.recordId), all.filter((r) => r.chunk !== 1).map((r) => r.recordId));
  assert.deepEqual(problems(items), ['chunk 1: all zeros between written chunks (wiped, or never written to this copy); its records are lost']);
  assert.deepEqual(losses(items), [{ chunk: 1, records: undefined }]);
  assert.ok(chunks >= 3);
  const ws = fresh();
  const r = await ingestPaths(ws, [file('wiped.evtx', wiped)], { workers: 1 });
  assert.deepEqual([r.quarantined, r.files[0]!.notes], [1, ['1 damaged chunk held an unknown number of records (the header is unreadable)']]);
  assert.deepEqual(readQuarantine(ws).map((q) => q['byte']), [chunkAt(1)]);
});

test('a dirty file whose newest chunk header lags its records: the records past the free space offset are read too', async () => {
  const buf = writeEvtx(sysmonEvents(120, { seed: 12 }));
  const all = records(await read(buf));
  const last = Math.max(...all.map((r) => r.chunk));
  const tail = all.filter((r) => r.chunk === last).slice(-3);
  // the header as it stood three records ago: free space, last record, both checksums
  const c = chunkAt(last);
  const free = tail[0]!.byte - c;
  buf.writeUInt32LE(free, c + 48);
  buf.writeBigUInt64LE(BigInt(tail[0]!.recordId - 1), c + 32);
  buf.writeUInt32LE(crc32(buf.subarray(c + 512, c + free)), c + 52);
  buf.writeUInt32LE(crc32(buf.subarray(c + 128, c + 512), crc32(buf.subarray(c, c + 120))), c + 124);
  const clean = await read(buf);
  assert.equal(records(clean).length, all.length - 3, 'a clean file ends at its free space offset');
  markDirty(buf);
  const dirty = await read(buf);
  assert.deepEqual(records(dirty).map((r) => r.recordId), all.map((r) => r.recordId));
  assert.deepEqual(problems(dirty), []);
  void root;
  void join;
});

test("a chunk whose header was never written (zeros, a live log's copy) before well-framed records: the records are read", async () => {
  const buf = writeEvtx(sysmonEvents(300, { seed: 13 }));
  const all = records(await read(buf));
  buf.fill(0, chunkAt(1), chunkAt(1) + 512);
  const items = await read(buf);
  assert.deepEqual(records(items).map((r) => r.recordId), all.map((r) => r.recordId));
  assert.deepEqual(problems(items), []);
  // a header that is garbage rather than unwritten, in a file closed cleanly, still sets the chunk aside
  buf.fill(0x41, chunkAt(1), chunkAt(1) + 512);
  const junk = await read(buf);
  assert.deepEqual(problems(junk), [`chunk 1: no chunk signature ("ElfChnk") at byte ${chunkAt(1)}; the chunk is unreadable`]);
  assert.deepEqual(losses(junk), [{ chunk: 1, records: undefined }]);
  markDirty(buf);
  assert.deepEqual(records(await read(buf)).length, all.length, 'in a dirty file it is read too');
});
