/**
 * One 64 KiB chunk (libevtx documentation, "Chunk"): its header (signature, checksums, where free space
 * starts) and its event records, each framed by a signature and its size written at both ends. What cannot
 * be read is reported at the smallest level it can be: a record whose Binary XML is damaged (or that uses a
 * template the chunk does not hold) alone; a chunk whose header or checksums are wrong whole, since then
 * nothing in it can be trusted; the part of a chunk after a record whose framing is broken, since the next
 * record cannot be found. A file marked dirty (still open when it was copied, as in a live triage
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

/**
 * The records of one chunk. `buf` is the chunk as read (shorter than 64 KiB when the file was cut off);
 * `fileByte` is where it starts in the file; `dirty` relaxes the records checksum (see the module comment).
 */
export function* readChunk(buf: Buffer, index: number, fileByte: number, dirty: boolean): Generator<ChunkItem> {
  const whole = (reason: string): ChunkItem => ({ problem: { byte: fileByte, chunk: index, reason: `chunk ${index}: ${reason}` } });
  if (buf.length < CHUNK_HEADER_SIZE) {
    yield whole(`the file ends ${buf.length} bytes into the chunk, inside its header (the file was cut off)`);
    return;
  }
  if (!buf.subarray(0, 8).equals(CHUNK_MAGIC)) {
    yield whole(`no chunk signature ("ElfChnk") at byte ${fileByte}; the chunk is unreadable`);
    return;
  }
  const truncated = buf.length < CHUNK_SIZE;
  const headerCrc = crc32(buf.subarray(128, CHUNK_HEADER_SIZE), crc32(buf.subarray(0, 120)));
  if (headerCrc !== buf.readUInt32LE(124)) {
    yield whole(`header checksum mismatch (stored 0x${buf.readUInt32LE(124).toString(16)}, computed 0x${headerCrc.toString(16)}); its records were set aside unread`);
    return;
  }
  const freeSpace = buf.readUInt32LE(48);
  if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
    yield whole(`free space offset ${freeSpace} lies outside the chunk`);
    return;
  }
  const limit = Math.min(freeSpace, buf.length);
  // a cut-off chunk cannot be checked; a dirty file's records are read one by one (see the module comment)
  if (!truncated && !dirty && crc32(buf.subarray(CHUNK_HEADER_SIZE, freeSpace)) !== buf.readUInt32LE(52)) {
    yield whole(`event records checksum mismatch (records ${readU64(buf, 24)}-${readU64(buf, 32)}); the records were set aside unread`);
    return;
  }
  const ctx = new ChunkContext(buf);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + 24 <= limit) {
    const magic = buf.readUInt32LE(pos);
    if (magic !== RECORD_MAGIC) {
      if (magic === 0 && buf.readUInt32LE(pos + 4) === 0) break; // zero fill after the last record
      yield { problem: { byte: fileByte + pos, chunk: index, reason: `chunk ${index}: no record signature at chunk offset ${pos}; the rest of the chunk (${limit - pos} bytes) cannot be framed` } };
      return;
    }
    const size = buf.readUInt32LE(pos + 4);
    const recordId = readU64(buf, pos + 8);
    if (size < 28 || pos + size > limit) {
      const cut = truncated && pos + size > buf.length && pos + size <= freeSpace;
      yield { problem: { byte: fileByte + pos, chunk: index, recordId, reason: cut ? `record ${recordId}: the file ends inside this record (cut off at byte ${fileByte + buf.length})` : `record ${recordId}: size ${size} does not fit the chunk; the rest of the chunk cannot be framed` } };
      return;
    }
    if (buf.readUInt32LE(pos + size - 4) !== size) {
      yield { problem: { byte: fileByte + pos, chunk: index, recordId, reason: `record ${recordId}: its size (${size}) is not repeated at its end; the rest of the chunk cannot be framed` } };
      return;
    }
    const t = filetimeParts(buf.readUInt32LE(pos + 16), buf.readUInt32LE(pos + 20));
    try {
      const inst = readEventXml(ctx, pos + 24, pos + size - 4);
      yield { record: { recordId, written: isoOf(t.ms, t.sub) ?? null, byte: fileByte + pos, chunk: index, event: renderEvent(inst) } };
    } catch (e) {
      if (!(e instanceof EvtxError) && !(e instanceof RangeError)) throw e;
      yield { problem: { byte: fileByte + pos, chunk: index, recordId, reason: `record ${recordId}: ${e.message}` } };
    }
    pos += size;
  }
  if (truncated && limit > buf.length) {
    // the header says records continue past where the file ends
    yield { problem: { byte: fileByte + buf.length, chunk: index, reason: `chunk ${index}: the file ends ${buf.length} bytes into the chunk; records up to its free space offset (${freeSpace}) are missing` } };
  }
}
