/**
 * An EVTX file as a stream of records (libevtx documentation, "File header" and "Chunk"): a 4 KiB file
 * header, then 64 KiB chunks, each read on its own as the bytes arrive, so memory stays at one chunk
 * whatever the file's size (the source may be gzipped). Chunks are taken as they are in the file, not as
 * many as the header counts: archived logs and copies of live ones hold more than the header says. Chunks
 * of zeros at the end (preallocated, never written) are skipped; zeros followed by a written chunk are a
 * lost chunk and reported; anything else unreadable is reported (see chunk.ts), and the rest of the file is
 * still read.
 */
import { crc32 } from '../../store/crc32.js';
import { CHUNK_SIZE, isUnused, readChunk, type ChunkItem } from './chunk.js';

export const FILE_HEADER_SIZE = 4096;
export const EVTX_MAGIC = 'ElfFile\0';

export interface EvtxHeader {
  /** Header flag 0x1: the file was not closed cleanly. Its newest chunk's records checksum may be stale. */
  dirty: boolean;
  chunks: number;
  version: string;
  /** The header's checksum does not match: its flags cannot be trusted (the file is then read as dirty). */
  badChecksum: boolean;
}

export function isEvtx(head: Uint8Array): boolean {
  return head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1') === EVTX_MAGIC;
}

export function readHeader(buf: Buffer): EvtxHeader {
  const stored = buf.readUInt32LE(124);
  const badChecksum = crc32(buf.subarray(0, 120)) !== stored;
  const flags = buf.readUInt32LE(120);
  return { dirty: badChecksum || (flags & 1) !== 0, chunks: buf.readUInt16LE(42), version: `${buf.readUInt16LE(38)}.${buf.readUInt16LE(36)}`, badChecksum };
}

/** Collects a byte stream into pieces of exactly `size` bytes (the last one shorter when the stream ends). */
async function* pieces(chunks: AsyncIterable<Buffer>, first: number, size: number): AsyncGenerator<Buffer> {
  let want = first;
  let parts: Buffer[] = [];
  let have = 0;
  for await (let c of chunks) {
    while (c.length) {
      const take = Math.min(want - have, c.length);
      parts.push(c.subarray(0, take));
      have += take;
      c = c.subarray(take);
      if (have === want) {
        yield parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, have);
        parts = [];
        have = 0;
        want = size;
      }
    }
  }
  if (have) yield Buffer.concat(parts, have);
}

/** Records a damaged chunk lost: its header's count less those read (`records` undefined when the header is unreadable). */
export interface EvtxLoss {
  chunk: number;
  records: number | undefined;
}

const tooShort = (bytes: number): EvtxItem => ({ problem: { byte: 0, chunk: -1, reason: `the file is ${bytes} bytes, shorter than an EVTX file header (${FILE_HEADER_SIZE}); nothing can be read` } });

export type EvtxItem = ChunkItem | { header: EvtxHeader; record?: undefined; problem?: undefined } | { lost: EvtxLoss; record?: undefined; problem?: undefined };

/**
 * The items of an EVTX byte stream: first its header, then every record or problem in file order, and after
 * a damaged chunk the records it lost. A file shorter than its header yields one problem and nothing else.
 */
export async function* readEvtx(chunks: AsyncIterable<Buffer>): AsyncGenerator<EvtxItem> {
  let header: EvtxHeader | undefined;
  let index = 0;
  /** Chunks of zeros not yet known to be trailing preallocated space. */
  const zeros: number[] = [];
  for await (const piece of pieces(chunks, FILE_HEADER_SIZE, CHUNK_SIZE)) {
    if (!header) {
      if (piece.length < FILE_HEADER_SIZE) {
        yield tooShort(piece.length);
        return;
      }
      header = readHeader(piece);
      yield { header };
      continue;
    }
    const fileByte = FILE_HEADER_SIZE + index * CHUNK_SIZE;
    if (isUnused(piece)) zeros.push(index);
    else {
      // zeros between written chunks were a chunk once (wiped, or never flushed to a copied file): lost
      for (const z of zeros.splice(0)) {
        yield { problem: { byte: FILE_HEADER_SIZE + z * CHUNK_SIZE, chunk: z, reason: `chunk ${z}: all zeros between written chunks (wiped, or never written to this copy); its records are lost` } };
        yield { lost: { chunk: z, records: undefined } };
      }
      const s = yield* readChunk(piece, index, fileByte, header.dirty);
      if (s.problems && (s.expected === undefined || s.read < s.expected)) yield { lost: { chunk: index, records: s.expected === undefined ? undefined : s.expected - s.read } };
    }
    index++;
  }
  if (!header) yield tooShort(0); // an empty file: no piece at all
}
