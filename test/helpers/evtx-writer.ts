// Test and benchmark helper: writes EVTX files (libevtx documentation's layout) from event descriptions, the
// way Windows does: one template per event shape, defined inline at its first use in each chunk and
// referenced by offset afterwards; names stored once per chunk; checksums filled in. Large realistic logs
// for the reader's tests and benchmarks, and a base for damaged files (truncation, flipped bytes, a record
// pointing at a template that is not there). Cross-checked against evtxexport in the tests when present.
import { createHash } from 'node:crypto';
import { crc32 } from '../../src/store/crc32.js';

export type WValue =
  | { t: 'str'; v: string }
  | { t: 'u8' | 'u16' | 'u32'; v: number }
  | { t: 'u64'; v: bigint }
  | { t: 'hex64'; v: bigint }
  | { t: 'hex32'; v: number }
  | { t: 'guid'; v: string }
  | { t: 'sid'; v: string }
  | { t: 'filetime'; v: bigint }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  /** Any value type with its bytes as stored (arrays, SYSTEMTIME, binary, signed and real numbers, ...). */
  | { t: 'raw'; type: number; bytes: Buffer };

export interface WEvent {
  provider: string;
  providerGuid?: string;
  eventId: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  keywords?: bigint;
  /** FILETIME ticks (100 ns since 1601). */
  time: bigint;
  recordId: number;
  processId?: number;
  threadId?: number;
  channel: string;
  computer: string;
  userSid?: string;
  /** EventData <Data Name=...> children, in order. */
  data: [string, WValue][];
}

export const str = (v: string): WValue => ({ t: 'str', v });
export const u32 = (v: number): WValue => ({ t: 'u32', v });
/** A JavaScript date (ms) plus extra 100 ns ticks as a FILETIME. */
export function filetimeOf(ms: number, extraTicks = 0): bigint {
  return (BigInt(ms) + 11_644_473_600_000n) * 10_000n + BigInt(extraTicks);
}

const TYPE: Record<Exclude<WValue['t'], 'raw'>, number> = { null: 0x00, str: 0x01, u8: 0x04, u16: 0x06, u32: 0x08, u64: 0x0a, bool: 0x0d, guid: 0x0f, filetime: 0x11, sid: 0x13, hex32: 0x14, hex64: 0x15 };

function encodeValue(x: WValue): Buffer {
  switch (x.t) {
    case 'null': return Buffer.alloc(0);
    case 'raw': return x.bytes;
    case 'str': return Buffer.from(x.v, 'utf16le');
    case 'u8': return Buffer.from([x.v]);
    case 'u16': { const b = Buffer.alloc(2); b.writeUInt16LE(x.v); return b; }
    case 'u32': case 'hex32': { const b = Buffer.alloc(4); b.writeUInt32LE(x.v >>> 0); return b; }
    case 'bool': { const b = Buffer.alloc(4); b.writeUInt32LE(x.v ? 1 : 0); return b; }
    case 'u64': case 'hex64': case 'filetime': { const b = Buffer.alloc(8); b.writeBigUInt64LE(x.v); return b; }
    case 'guid': {
      const h = x.v.replace(/[{}-]/g, '');
      const b = Buffer.from(h, 'hex');
      return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
    }
    case 'sid': {
      const parts = x.v.split('-').slice(1).map(Number);
      const b = Buffer.alloc(8 + (parts.length - 2) * 4);
      b[0] = parts[0]!;
      b[1] = parts.length - 2;
      b.writeUIntBE(parts[1]!, 2, 6);
      parts.slice(2).forEach((p, i) => b.writeUInt32LE(p, 8 + i * 4));
      return b;
    }
  }
}

/** Builds one chunk's bytes; names and templates are remembered by chunk offset. */
class ChunkBuilder {
  readonly buf = Buffer.alloc(65536);
  pos = 512;
  private names = new Map<string, number>();
  private templates = new Map<string, number>();
  firstId = -1;
  lastId = -1;
  lastOffset = 0;
  records = 0;
  /** The record being built and the chunk offset its first byte will have. */
  private out: number[] = [];
  private base = 0;

  private get at(): number { return this.base + this.out.length; }
  private u8(v: number) { this.out.push(v & 0xff); }
  private u16(v: number) { this.out.push(v & 0xff, (v >> 8) & 0xff); }
  private u32(v: number) { this.out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff); }
  private bytes(b: Uint8Array) { for (const x of b) this.out.push(x); }

  /** A name reference: stored inline (and remembered) the first time it is used in the chunk. */
  private name(n: string): void {
    const known = this.names.get(n);
    if (known !== undefined) return this.u32(known);
    const self = this.at + 4;
    this.u32(self);
    this.names.set(n, self);
    this.u32(0);
    this.u16(0); // hash (readers do not check it)
    this.u16(n.length);
    this.bytes(Buffer.from(n + '\0', 'utf16le'));
  }

  /** <name attrs>content</name>, or <name attrs/> without content. */
  private element(name: string, attrs: [string, () => void][], content?: () => void): void {
    this.u8(attrs.length ? 0x41 : 0x01);
    this.u16(0xffff); // dependency id
    const sizeAt = this.out.length;
    this.u32(0);
    this.name(name);
    if (attrs.length) {
      const listAt = this.out.length;
      this.u32(0);
      attrs.forEach(([an, write], i) => {
        this.u8(i === attrs.length - 1 ? 0x06 : 0x46);
        this.name(an);
        write();
      });
      writeAt(this.out, listAt, this.out.length - listAt - 4);
    }
    if (content) {
      this.u8(0x02);
      content();
      this.u8(0x04);
    } else this.u8(0x03);
    writeAt(this.out, sizeAt, this.out.length - sizeAt - 4);
  }

  private sub(index: number, type: number): () => void {
    return () => { this.u8(0x0e); this.u16(index); this.u8(type); };
  }
  private text(s: string): () => void {
    return () => { this.u8(0x05); this.u8(0x01); this.u16(s.length); this.bytes(Buffer.from(s, 'utf16le')); };
  }

  /** The template body (fragment header, Event element, EOF) for an event shape. */
  private templateBody(e: WEvent, types: number[]): void {
    const s = (i: number) => this.sub(i, types[i]!);
    this.bytes(Buffer.from([0x0f, 0x01, 0x01, 0x00]));
    this.element('Event', [['xmlns', this.text('http://schemas.microsoft.com/win/2004/08/events/event')]], () => {
      this.element('System', [], () => {
        this.element('Provider', [['Name', s(0)], ['Guid', s(1)]]);
        this.element('EventID', [], s(2));
        this.element('Version', [], s(3));
        this.element('Level', [], s(4));
        this.element('Task', [], s(5));
        this.element('Opcode', [], s(6));
        this.element('Keywords', [], s(7));
        this.element('TimeCreated', [['SystemTime', s(8)]]);
        this.element('EventRecordID', [], s(9));
        this.element('Correlation', [['ActivityID', s(10)], ['RelatedActivityID', s(11)]]);
        this.element('Execution', [['ProcessID', s(12)], ['ThreadID', s(13)]]);
        this.element('Channel', [], s(14));
        this.element('Computer', [], s(15));
        this.element('Security', [['UserID', s(16)]]);
      });
      this.element('EventData', [], () => {
        e.data.forEach(([n], k) => this.element('Data', [['Name', this.text(n)]], s(17 + k)));
      });
    });
    this.u8(0x00);
  }

  /** Appends a record; false when it does not fit in this chunk. */
  add(e: WEvent, badTemplate = false): boolean {
    const values: WValue[] = [
      { t: 'str', v: e.provider }, e.providerGuid ? { t: 'guid', v: e.providerGuid } : { t: 'null' },
      { t: 'u16', v: e.eventId }, { t: 'u8', v: e.version ?? 0 }, { t: 'u8', v: e.level ?? 4 }, { t: 'u16', v: e.task ?? 0 },
      { t: 'u8', v: e.opcode ?? 0 }, { t: 'hex64', v: e.keywords ?? 0x8000000000000000n }, { t: 'filetime', v: e.time },
      { t: 'u64', v: BigInt(e.recordId) }, { t: 'null' }, { t: 'null' }, { t: 'u32', v: e.processId ?? 4 }, { t: 'u32', v: e.threadId ?? 8 },
      { t: 'str', v: e.channel }, { t: 'str', v: e.computer }, e.userSid ? { t: 'sid', v: e.userSid } : { t: 'null' },
      ...e.data.map(([, v]) => v),
    ];
    const types = values.map((v) => (v.t === 'raw' ? v.type : TYPE[v.t]));
    // the template declares each slot's type (a GUID slot stays a GUID slot when this record's value is null)
    const declared = types.map((t, i) => (t ? t : i === 16 ? TYPE.sid : i === 1 || i === 10 || i === 11 ? TYPE.guid : TYPE.str));
    const key = `${e.provider}|${e.eventId}|${types.map((t, i) => (t ? t : `n${i}`)).join(',')}|${e.data.map(([n]) => n).join(',')}`;
    const start = this.pos;
    this.out = [];
    this.base = start;
    // record header: signature, size (patched below), id, written time
    this.u32(0x2a2a); this.u32(0);
    const idb = Buffer.alloc(16); idb.writeBigUInt64LE(BigInt(e.recordId)); idb.writeBigUInt64LE(e.time, 8);
    this.bytes(idb);
    this.bytes(Buffer.from([0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01]));
    // a template's GUID (readers may key templates by it) from its shape; its first 4 bytes are the template id
    const tguid = createHash('md5').update(key).digest();
    this.bytes(tguid.subarray(0, 4));
    const known = this.templates.get(key);
    let defined: number | undefined;
    if (badTemplate) this.u32(60000);
    else if (known !== undefined) this.u32(known);
    else {
      defined = this.at + 4;
      this.u32(defined);
      this.u32(0); // next template
      this.bytes(tguid);
      const sizeAt = this.out.length;
      this.u32(0);
      this.templateBody(e, declared);
      writeAt(this.out, sizeAt, this.out.length - sizeAt - 4);
    }
    const encoded = values.map(encodeValue);
    this.u32(values.length);
    encoded.forEach((b, i) => { this.u16(b.length); this.u8(types[i]!); this.u8(0); });
    for (const b of encoded) this.bytes(b);
    this.u8(0x00); // end of the fragment
    const size = this.out.length + 4;
    this.u32(size);
    writeAt(this.out, 4, size);
    // libevtx 20181227 (Debian's evtxexport) skips a chunk's last record when it ends in the chunk's last
    // bytes; leaving a little room keeps the benchmark's files readable to it in full
    if (start + size > 65536 - 8) {
      // never written: forget the names and the template it defined
      for (const [k, v] of this.names) if (v >= start) this.names.delete(k);
      return false;
    }
    if (defined !== undefined) this.templates.set(key, defined);
    Buffer.from(this.out).copy(this.buf, start);
    this.pos += size;
    if (this.firstId < 0) this.firstId = e.recordId;
    this.lastId = e.recordId;
    this.lastOffset = start;
    this.records++;
    return true;
  }

  finish(firstNumber: number): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(firstNumber), 8);
    b.writeBigUInt64LE(BigInt(firstNumber + this.records - 1), 16);
    b.writeBigUInt64LE(BigInt(this.firstId), 24);
    b.writeBigUInt64LE(BigInt(this.lastId), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastOffset, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32(b.subarray(512, this.pos)), 52);
    b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

function writeAt(out: number[], at: number, v: number): void {
  out[at] = v & 0xff; out[at + 1] = (v >>> 8) & 0xff; out[at + 2] = (v >>> 16) & 0xff; out[at + 3] = (v >>> 24) & 0xff;
}

export interface WriteOptions {
  dirty?: boolean;
  /** Record ids whose record points at a template offset the chunk does not hold. */
  badTemplateIds?: Set<number>;
}

/** An EVTX file holding `events` in order (as many chunks as they need). */
export function writeEvtx(events: Iterable<WEvent>, opts: WriteOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  let cb = new ChunkBuilder();
  let number = 1;
  let next = 1;
  for (const e of events) {
    const bad = opts.badTemplateIds?.has(e.recordId) ?? false;
    if (!cb.add(e, bad)) {
      chunks.push(cb.finish(number));
      number += cb.records;
      cb = new ChunkBuilder();
      if (!cb.add(e, bad)) throw new Error(`event ${e.recordId} does not fit in an empty chunk`);
    }
    next = e.recordId + 1;
  }
  if (cb.records) chunks.push(cb.finish(number));
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks.length - 1)), 16);
  h.writeBigUInt64LE(BigInt(next), 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(opts.dirty ? 1 : 0, 120);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks]);
}
