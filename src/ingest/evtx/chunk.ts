/**
 * One 64 KiB chunk (libevtx documentation, "Chunk"): its header (signature, checksums, where free space
 * starts) and its event records, each framed by a signature and its size written at both ends. What cannot
 * be read is reported at the smallest level it can be: a record whose Binary XML is damaged (or that uses a
 * template the chunk does not hold) alone; a chunk whose records checksum is wrong whole, since then nothing
 * in it can be trusted; the bytes between a record whose framing is broken and the next well-framed record.
 * Each chunk's summary says how many records its header states and how many were read, so the records lost
 * are counted, not just the damaged places. A file marked dirty (still open when it was copied, as in a live triage
 * collection) commonly has a stale checksum in its newest chunk: there the records are read one by one.
 */
import { crc32 } from '../../store/crc32.js';
import { ChunkContext, readEventXml } from './binxml.js';
import { EvtxError } from './errors.js';
import { renderEvent } from './render.js';
import { filetimeParts, isoOf } from './values.js';

export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
const RECORD_MAGIC = 0x00002a2a;

export interface EvtxRecord {
  /** EventRecordID as the record's header stores it. */
  recordId: number;
  /** Written time from the record header, ISO with 7 fractional digits. */
  written: string | null;
  /** Byte of the file where the record starts. */
  byte: number;
  chunk: number;
  /** The event as `evtx_dump` writes it: {"Event": {...}}. */
  event: Record<string, unknown>;
}

export interface EvtxProblem {
  byte: number;
  chunk: number;
  recordId?: number;
  reason: string;
}

export type ChunkItem = { record: EvtxRecord; problem?: undefined } | { problem: EvtxProblem; record?: undefined };

function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 2 ** 32;
}

/** True for a chunk-sized area of zeros (space a log file preallocated and never used). */
export function isUnused(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/** What a chunk held and what of it was read: `expected` is the record range its header states, when plausible. */
export interface ChunkSummary {
  expected: number | undefined;
  read: number;
  problems: number;
}

/** More records than fit in a chunk's 64 KiB (each takes at least 28 bytes): a header stating that is damaged. */
const MAX_RECORDS = Math.floor((CHUNK_SIZE - CHUNK_HEADER_SIZE) / 28);
const RECORD_MAGIC_BYTES = Buffer.from([0x2a, 0x2a, 0, 0]);

/** The size of a well-framed record at `pos` (signature, size at both ends, within `limit`), else 0. */
function frameAt(buf: Buffer, pos: number, limit: number): number {
  if (pos + 28 > limit || buf.readUInt32LE(pos) !== RECORD_MAGIC) return 0;
  const size = buf.readUInt32LE(pos + 4);
  return size >= 28 && pos + size <= limit && buf.readUInt32LE(pos + size - 4) === size ? size : 0;
}

/** The next well-framed record after damage, with an id above the last one read (so no stale copy is taken). */
function resync(buf: Buffer, from: number, limit: number, lastId: number): number {
  for (let at = buf.indexOf(RECORD_MAGIC_BYTES, from); at >= 0 && at + 28 <= limit; at = buf.indexOf(RECORD_MAGIC_BYTES, at + 1)) {
    if (frameAt(buf, at, limit) && readU64(buf, at + 8) > lastId) return at;
  }
  return -1;
}

/**
 * The records of one chunk (its summary is the generator's return value). `buf` is the chunk as read (shorter
 * than 64 KiB when the file was cut off); `fileByte` is where it starts in the file; `dirty` relaxes the
 * records checksum (see the module comment). A chunk whose header checksum is wrong is still read when its
 * records checksum holds: records find their templates and names by offset, never through the header's
 * tables. After a record whose framing is broken, reading resumes at the next well-framed record. In a dirty
 * file, records written past the header's free space offset (the header not yet updated) are read too.
 */
export function* readChunk(buf: Buffer, index: number, fileByte: number, dirty: boolean): Generator<ChunkItem, ChunkSummary> {
  const summary: ChunkSummary = { expected: undefined, read: 0, problems: 0 };
  const problem = (at: number, reason: string, recordId?: number): ChunkItem => {
    summary.problems++;
    return { problem: { byte: fileByte + at, chunk: index, ...(recordId !== undefined ? { recordId } : {}), reason } };
  };
  const whole = (reason: string): ChunkItem => problem(0, `chunk ${index}: ${reason}`);
  if (buf.length < CHUNK_HEADER_SIZE) {
    yield whole(`the file ends ${buf.length} bytes into the chunk, inside its header (the file was cut off)`);
    return summary;
  }
  const signed = buf.subarray(0, 8).equals(CHUNK_MAGIC);
  // a header never written (zeros: a copy of an open log whose chunk header was not flushed yet) in front of
  // well-framed records, or any damaged header in a dirty file: the records are read one by one without it
  const headerless = !signed && (dirty || isUnused(buf.subarray(0, CHUNK_HEADER_SIZE))) && frameAt(buf, CHUNK_HEADER_SIZE, buf.length) > 0;
  if (!signed && !headerless) {
    yield whole(`no chunk signature ("ElfChnk") at byte ${fileByte}; the chunk is unreadable`);
    return summary;
  }
  const [first, last] = [readU64(buf, 24), readU64(buf, 32)];
  if (signed && last >= first && last - first < MAX_RECORDS) summary.expected = last - first + 1;
  const unread = summary.expected === undefined ? 'its records were set aside unread' : `its ${summary.expected} records (${first}-${last}) were set aside unread`;
  const truncated = buf.length < CHUNK_SIZE;
  const headerCrc = crc32(buf.subarray(128, CHUNK_HEADER_SIZE), crc32(buf.subarray(0, 120)));
  const headerOk = signed && headerCrc === buf.readUInt32LE(124);
  const headerMismatch = `header checksum mismatch (stored 0x${buf.readUInt32LE(124).toString(16)}, computed 0x${headerCrc.toString(16)})`;
  const freeSpace = headerless ? CHUNK_SIZE : buf.readUInt32LE(48);
  if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
    yield whole(`${headerOk ? '' : headerMismatch + ', '}free space offset ${freeSpace} lies outside the chunk; ${unread}`);
    return summary;
  }
  const limit = Math.min(freeSpace, buf.length);
  // a cut-off chunk cannot be checked; a dirty file's records are read one by one (see the module comment)
  const recordsOk = !headerless && !truncated && crc32(buf.subarray(CHUNK_HEADER_SIZE, freeSpace)) === buf.readUInt32LE(52);
  if (!headerless && !headerOk && !recordsOk && !dirty) {
    yield whole(`${headerMismatch}${truncated ? '' : ' and event records checksum mismatch'}; ${unread}`);
    return summary;
  }
  if (headerOk && !recordsOk && !truncated && !dirty) {
    yield whole(`event records checksum mismatch; ${unread}`);
    return summary;
  }
  const ctx = new ChunkContext(buf);
  let pos = CHUNK_HEADER_SIZE;
  let lastId = -1;
  while (pos + 24 <= limit) {
    const magic = buf.readUInt32LE(pos);
    if (magic === 0 && buf.readUInt32LE(pos + 4) === 0) break; // zero fill after the last record
    const size = frameAt(buf, pos, limit);
    const recordId = readU64(buf, pos + 8);
    if (!size) {
      const stated = buf.readUInt32LE(pos + 4);
      if (magic === RECORD_MAGIC && truncated && pos + stated > buf.length && pos + stated <= freeSpace && stated >= 28) {
        yield problem(pos, `record ${recordId}: the file ends inside this record (cut off at byte ${fileByte + buf.length})`, recordId);
        return summary;
      }
      const why = magic !== RECORD_MAGIC ? `no record signature at chunk offset ${pos}` : stated < 28 || pos + stated > limit ? `record ${recordId}: size ${stated} does not fit the chunk` : `record ${recordId}: its size (${stated}) is not repeated at its end`;
      const next = resync(buf, pos + 1, limit, lastId);
      if (next < 0) {
        yield problem(pos, `chunk ${index}: ${why}; the rest of the chunk (${limit - pos} bytes) cannot be framed`, magic === RECORD_MAGIC ? recordId : undefined);
        return summary;
      }
      yield problem(pos, `chunk ${index}: ${why}; ${next - pos} bytes skipped, reading resumed at record ${readU64(buf, next + 8)}`, magic === RECORD_MAGIC ? recordId : undefined);
      pos = next;
      continue;
    }
    yield recordAt(ctx, pos, size, recordId);
    lastId = recordId;
    pos += size;
  }
  // a dirty file's newest chunk may hold records its header does not count yet
  if (dirty && pos >= freeSpace) {
    for (let size = frameAt(buf, pos, buf.length); size && readU64(buf, pos + 8) > lastId; size = frameAt(buf, pos, buf.length)) {
      lastId = readU64(buf, pos + 8);
      yield recordAt(ctx, pos, size, lastId);
      pos += size;
    }
  }
  if (truncated && limit > buf.length) {
    // the header says records continue past where the file ends
    yield problem(buf.length, `chunk ${index}: the file ends ${buf.length} bytes into the chunk; records up to its free space offset (${freeSpace}) are missing`);
  }
  return summary;

  function recordAt(ctx: ChunkContext, pos: number, size: number, recordId: number): ChunkItem {
    const t = filetimeParts(buf.readUInt32LE(pos + 16), buf.readUInt32LE(pos + 20));
    try {
      const inst = readEventXml(ctx, pos + 24, pos + size - 4);
      summary.read++;
      return { record: { recordId, written: isoOf(t.ms, t.sub) ?? null, byte: fileByte + pos, chunk: index, event: renderEvent(inst) } };
    } catch (e) {
      if (!(e instanceof EvtxError) && !(e instanceof RangeError)) throw e;
      return problem(pos, `record ${recordId}: ${e.message}`, recordId);
    }
  }
}
