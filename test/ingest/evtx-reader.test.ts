// The EVTX reader on files written the way Windows writes them (test/helpers/evtx-writer.ts): every record
// back field by field over several chunks, the same records evtxexport (Debian's libevtx) reads, and damage of
// every kind set aside at the smallest level with a reason while the rest loads (through `kqlite ingest`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32 } from '../../src/store/crc32.js';
import { readEvtx, type EvtxItem } from '../../src/ingest/evtx/reader.js';
import { runCli } from '../helpers/cli.js';
import { writeEvtx, type WEvent } from '../helpers/evtx-writer.js';
import { sysmonEvents } from '../helpers/sysmon-events.js';

const dir = mkdtempSync(join(tmpdir(), 'kqlite-evtx-'));

async function read(buf: Buffer, pieceSize = 1 << 20): Promise<EvtxItem[]> {
  async function* pieces() {
    for (let i = 0; i < buf.length; i += pieceSize) yield buf.subarray(i, i + pieceSize);
  }
  const out: EvtxItem[] = [];
  for await (const it of readEvtx(pieces())) out.push(it);
  return out;
}

/** What the event should read as: evtx_dump's JSON shape. */
function expected(e: WEvent): Record<string, unknown> {
  const ticks = e.time;
  const ms = Number(ticks / 10_000n) - 11_644_473_600_000;
  const iso = `${new Date(ms).toISOString().slice(0, 19)}.${String(Number(ticks % 10_000_000n)).padStart(7, '0')}Z`;
  const data: Record<string, unknown> = {};
  for (const [k, v] of e.data) {
    data[k] = v.t === 'str' ? v.v.trimEnd() : v.t === 'u32' || v.t === 'u8' || v.t === 'u16' ? v.v : v.t === 'hex64' ? `0x${v.v.toString(16)}` : v.t === 'guid' ? v.v : v.t === 'bool' ? v.v : null;
  }
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: e.provider, ...(e.providerGuid ? { Guid: e.providerGuid } : {}) } },
        EventID: e.eventId, Version: e.version ?? 0, Level: e.level ?? 4, Task: e.task ?? 0, Opcode: e.opcode ?? 0,
        Keywords: `0x${(e.keywords ?? 0x8000000000000000n).toString(16)}`, TimeCreated: { '#attributes': { SystemTime: iso } },
        EventRecordID: e.recordId, Correlation: null, Execution: { '#attributes': { ProcessID: e.processId ?? 4, ThreadID: e.threadId ?? 8 } },
        Channel: e.channel, Computer: e.computer, Security: e.userSid ? { '#attributes': { UserID: e.userSid } } : null,
      },
      EventData: data,
    },
  };
}

test('records read back field by field across chunks and read pieces of any size', async () => {
  const events = [...sysmonEvents(3000, { seed: 7 })];
  const buf = writeEvtx(events);
  assert.ok(buf.length > 3 * 65536 + 4096, 'several chunks');
  for (const size of [1 << 20, 4093]) {
    const items = await read(buf, size);
    assert.ok(items[0]!.header && !items[0]!.header.dirty);
    const records = items.filter((i) => i.record).map((i) => i.record!);
    assert.deepEqual(items.filter((i) => i.problem), []);
    assert.equal(records.length, events.length);
    records.forEach((r, i) => {
      assert.equal(r.recordId, events[i]!.recordId);
      assert.deepEqual(r.event, expected(events[i]!), `record ${i}`);
    });
  }
});

const evtxexport = spawnSync('evtxexport', ['-h'], { encoding: 'utf8' });
const haveEvtxexport = !evtxexport.error;

test('evtxexport (libevtx) reads the same records and strings', { skip: !haveEvtxexport && !process.env['CI'] ? 'evtxexport is not installed (Debian libevtx-utils; .ci/run installs it)' : false }, async () => {
  const events = [...sysmonEvents(400, { seed: 3 })];
  const file = join(dir, 'cross.evtx');
  writeFileSync(file, writeEvtx(events));
  const out = spawnSync('evtxexport', [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  const blocks = out.stdout.split(/\n(?=Event number)/).filter((b) => b.startsWith('Event number'));
  assert.equal(blocks.length, events.length);
  const items = (await read(readFileSync(file))).filter((i) => i.record);
  blocks.forEach((b, i) => {
    const strings = [...b.matchAll(/^String: \d+\t+: (.*)$/gm)].map((m) => m[1]!);
    const ours = Object.values((items[i]!.record!.event['Event'] as { EventData: Record<string, unknown> }).EventData).map((v) =>
      // evtxexport writes GUIDs in braces and 64-bit hex numbers zero-padded
      String(v).replace(/^([0-9A-F]{8}-[0-9A-F-]{27})$/, '{$1}').replace(/^0x([0-9a-f]+)$/, (_m, h: string) => `0x${h.padStart(16, '0')}`));
    assert.deepEqual(ours, strings, `event ${i}`);
    assert.match(b, new RegExp(`Event identifier\\s+: 0x[0-9a-f]+ \\(${events[i]!.eventId}\\)`));
  });
});

/** Writes `buf` damaged by `f`, ingests it through the CLI, and returns the report and the quarantine. */
async function ingestDamaged(name: string, buf: Buffer) {
  const file = join(dir, name);
  writeFileSync(file, buf);
  const ws = join(dir, `ws-${name}`);
  const r = await runCli(['ingest', file, '--workspace', ws, '--json']);
  assert.equal(r.stderr.includes('    at '), false, 'no stack trace');
  const report = JSON.parse(r.stdout) as { read: number; loaded: number; quarantined: number; files: { tables: Record<string, number>; notes?: string[] }[] };
  const q = JSON.parse((await runCli(['quarantine', '--workspace', ws, '--format', 'json', '--limit', '0'])).stdout) as { records: { byte?: number; reason: string }[] };
  assert.equal(report.read, report.loaded + report.quarantined, 'read = loaded + quarantined');
  assert.equal(q.records.length, report.quarantined);
  return { report, reasons: q.records.map((x) => x.reason), bytes: q.records.map((x) => x.byte) };
}

const base = () => writeEvtx(sysmonEvents(600, { seed: 11 }));
const chunkAt = (i: number) => 4096 + i * 65536;
/** Record offsets of chunk 1 (the second), from its records as read. */
async function recordsOf(buf: Buffer, chunk: number) {
  return (await read(buf)).filter((i) => i.record?.chunk === chunk).map((i) => i.record!);
}

test('a file cut off inside a record: the records before load, the cut one is quarantined with where it ends', async () => {
  const buf = base();
  const recs = await recordsOf(buf, 1);
  const cut = recs[5]!.byte + 40;
  const { report, reasons, bytes } = await ingestDamaged('cut.evtx', buf.subarray(0, cut));
  const before = (await read(buf)).filter((i) => i.record && i.record.byte < recs[5]!.byte).length;
  assert.equal(report.loaded, before);
  assert.equal(report.quarantined, 1);
  assert.match(reasons[0]!, new RegExp(`record ${recs[5]!.recordId}: the file ends inside this record \\(cut off at byte ${cut}\\)`));
  assert.deepEqual(bytes, [recs[5]!.byte]);
});

test('a damaged chunk header: its records still load when their own checksum holds; with both wrong the chunk is set aside, its records counted', async () => {
  const buf = base();
  buf[chunkAt(1) + 140] ^= 0xff; // inside the checksummed header (its string table: records never use it)
  const total = (await read(base())).filter((i) => i.record).length;
  const headerOnly = await ingestDamaged('header.evtx', buf);
  assert.deepEqual([headerOnly.report.loaded, headerOnly.report.quarantined], [total, 0]);
  const recs = await recordsOf(base(), 1);
  buf[recs[3]!.byte + 200] ^= 0x01;
  const { report, reasons, bytes } = await ingestDamaged('header-and-records.evtx', buf);
  assert.equal(report.loaded, total - recs.length);
  assert.equal(report.quarantined, 1);
  assert.match(reasons[0]!, new RegExp(`^chunk 1: header checksum mismatch \\(stored 0x[0-9a-f]+, computed 0x[0-9a-f]+\\) and event records checksum mismatch; its ${recs.length} records \\(${recs[0]!.recordId}-${recs.at(-1)!.recordId}\\) were set aside unread`));
  assert.deepEqual(bytes, [chunkAt(1)]);
  assert.deepEqual(report.files[0]!.notes, [`${recs.length} records of damaged chunks could not be read (by their chunk headers' counts)`]);
});

test('a flipped byte in a clean file: the records checksum sets the chunk aside; in a file marked dirty the records are read one by one', async () => {
  const buf = base();
  const recs = await recordsOf(buf, 2);
  buf[recs[3]!.byte + 200] ^= 0x01;
  const clean = await ingestDamaged('records-crc.evtx', buf);
  assert.match(clean.reasons[0]!, /^chunk 2: event records checksum mismatch; its \d+ records \(\d+-\d+\) were set aside unread/);
  // the same damage in a file whose header says it was not closed cleanly (its newest chunk's checksum is stale)
  buf.writeUInt32LE(1, 120);
  buf.writeUInt32LE(crc32(buf.subarray(0, 120)), 124);
  const dirty = await ingestDamaged('records-crc-dirty.evtx', buf);
  const total = (await read(base())).filter((i) => i.record).length;
  assert.equal(dirty.report.read, total, 'every record framed and read');
});

test('a record that points at a template the chunk does not hold, and a record whose Binary XML is garbage, are set aside alone', async () => {
  const events = [...sysmonEvents(300, { seed: 5 })];
  const buf = writeEvtx(events, { badTemplateIds: new Set([events[10]!.recordId]) });
  const recs = (await read(buf)).filter((i) => i.record).map((i) => i.record!);
  // garbage: the first token of another record's Binary XML (the fragment header) becomes an unknown token
  const victim = recs.find((r) => r.recordId === events[50]!.recordId)!;
  buf[victim.byte + 24] = 0x7f;
  // the chunk checksum now mismatches: mark the file dirty so records are read one by one
  buf.writeUInt32LE(1, 120);
  buf.writeUInt32LE(crc32(buf.subarray(0, 120)), 124);
  const { report, reasons } = await ingestDamaged('records.evtx', buf);
  assert.equal(report.quarantined, 2);
  assert.equal(report.loaded, events.length - 2);
  assert.match(reasons.find((r) => r.startsWith(`record ${events[10]!.recordId}:`))!, /template offset 60000 lies outside the chunk|template at chunk offset 60000/);
  assert.match(reasons.find((r) => r.startsWith(`record ${events[50]!.recordId}:`))!, /token 0x7f/);
});

test('a file shorter than its header, and bytes that are no chunk, are reported, never thrown', async () => {
  const short = await ingestDamaged('short.evtx', Buffer.from('ElfFile\0 too short'));
  assert.deepEqual([short.report.read, short.report.quarantined], [1, 1]);
  assert.match(short.reasons[0]!, /shorter than an EVTX file header/);
  const buf = base();
  buf.fill(0x41, chunkAt(1), chunkAt(1) + 65536);
  const junk = await ingestDamaged('junk-chunk.evtx', buf);
  assert.match(junk.reasons[0]!, /^chunk 1: no chunk signature \("ElfChnk"\) at byte 69632/);
  assert.equal(junk.report.quarantined, 1);
});
