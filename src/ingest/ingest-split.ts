/**
 * One large NDJSON file read by several threads at once. This thread decompresses, hashes and cuts the
 * stream into blocks of whole lines (line-blocks.ts); each block goes to the part (ingest-part.ts, on a
 * worker of the ingest pool) with the fewest blocks waiting, which reads its lines into extents of its own.
 * The parts' reports, quarantines and extents are then merged into the file's, so the file is
 * committed or undone as one, exactly as when one thread reads it. Rows keep their values and lines their
 * numbers; only the order of rows across extents differs (blocks are read side by side).
 * A part that fails undoes the whole file; one that meets a new table or column (schemas are frozen in
 * parts) has the file read again in one thread (SchemaChangeError), as a sequential ingest would.
 */
import { rmSync } from 'node:fs';
import { addOwn } from '../common/own-keys.js';
import { dropExtents, SchemaChangeError, type FileLoad, type LoadOptions, type LoadTarget } from './file-load.js';
import type { FileResult } from './ingest-file.js';
import type { IngestPool, PartHandle } from './ingest-pool.js';
import { LineBlocks, type LinePiece } from './line-blocks.js';
import type { Source } from './source.js';

export interface SplitOptions {
  pool: IngestPool;
  /** Parts (threads) the file is read by. */
  threads: number;
  /** Files at least this large (as stored) are split (default 16 MiB). */
  minBytes?: number;
  /** Decoded bytes per block (default 4 MiB). */
  blockBytes?: number;
  maxRecordBytes?: number;
}

export const SPLIT_MIN_BYTES = 16 << 20;
const BLOCK_BYTES = 4 << 20;

/**
 * Memory for blocks, reused: a part hands each block's memory back once it has read it, and the next block is
 * copied into it. A few buffers go round instead of a new 4 MiB one per block, each freed by a worker whenever
 * its garbage collector comes to it (a file's worth of them could wait for that), and a reused buffer's pages
 * are already mapped.
 */
function blockMemory(parts: PartHandle[], blockBytes: number): (n: number) => Uint8Array {
  const spare: ArrayBuffer[] = [];
  for (const p of parts) p.recycle = (b) => void (spare.length < 2 * parts.length + 2 && spare.push(b.buffer as ArrayBuffer));
  return (n) => {
    const i = spare.findIndex((b) => b.byteLength >= n);
    // a block holds blockBytes and the rest of the chunk that filled it: room for a chunk more than that
    const buf = i >= 0 ? spare.splice(i, 1)[0]! : Buffer.allocUnsafeSlow(Math.max(n, blockBytes + (1 << 20))).buffer;
    return new Uint8Array(buf, 0, n);
  };
}

/** The load options a part needs (the serialisable ones). */
type PartOptions = Pick<LoadOptions, 'table' | 'rowsPerExtent' | 'cellsPerFlush' | 'bytesPerFlush'>;

export async function readLinesInParts(ws: LoadTarget, file: string, src: Source, load: FileLoad, split: SplitOptions, opts: PartOptions, progress: (bytes: number, records: number) => void): Promise<void> {
  const partOpts: PartOptions = {
    ...(opts.table ? { table: opts.table } : {}), ...(opts.rowsPerExtent ? { rowsPerExtent: opts.rowsPerExtent } : {}),
    ...(opts.cellsPerFlush ? { cellsPerFlush: opts.cellsPerFlush } : {}), ...(opts.bytesPerFlush ? { bytesPerFlush: opts.bytesPerFlush } : {}),
  };
  const parts: PartHandle[] = [];
  const schemas = [...new Set([load.fallbackTable!])].flatMap((t) => load.baseSchema(t) ?? []);
  for (let i = 0; i < split.threads; i++) parts.push(await split.pool.part(file, partOpts, schemas));
  const pieces: LinePiece[] = [];
  const blocks = new LineBlocks((p) => pieces.push(p), split.blockBytes, split.maxRecordBytes, src.firstLine, blockMemory(parts, split.blockBytes ?? BLOCK_BYTES));
  let lines = 0;
  const send = async () => {
    for (const p of pieces) {
      if (p.kind === 'problem') parts[0]!.problem(p.line, p.problem);
      else {
        // the part with the fewest blocks waiting: a slow block (many new strings) does not hold up the rest
        let to = parts[0]!;
        for (const q of parts) if (q.inFlight < to.inFlight) to = q;
        lines = p.firstLine;
        await to.send(p.bytes, p.firstLine);
      }
    }
    pieces.length = 0;
  };
  try {
    for await (const chunk of src.chunks()) {
      blocks.push(chunk);
      await send();
      progress(src.rawBytes, lines);
      if (parts.some((p) => p.settled)) break; // a part failed: no use reading on
    }
  } catch (e) {
    // the file could not be read on (or is not the content it was to continue): the parts end, undone
    undoParts(ws.dir, parts, await Promise.all(parts.map((p) => p.end())));
    throw e;
  }
  blocks.end();
  await send();
  const results = await Promise.all(parts.map((p) => p.end()));
  const failed = results.find((r) => r.needsAlone || r.fr.refused);
  if (failed) {
    src.close();
    undoParts(ws.dir, parts, results);
    if (failed.needsAlone) throw new SchemaChangeError('a part met a new table or column');
    throw new Error(failed.fr.refused!.replace(/ \(nothing of this file was kept\)$/, ''));
  }
  mergeParts(load, results);
}

/** The parts' reports, quarantines and extents become the file's (one FileLoad, as in one thread). */
function mergeParts(load: FileLoad, results: FileResult[]): void {
  const fr = load.fr;
  fr.threads = results.length;
  results.forEach((r) => {
    const p = r.fr;
    fr.read += p.read;
    fr.loaded += p.loaded;
    fr.quarantined += p.quarantined;
    fr.extents += p.extents;
    for (const [t, n] of Object.entries(p.tables)) addOwn(fr.tables, t, n);
    for (const t of p.inferredTables) if (!fr.inferredTables.includes(t)) fr.inferredTables.push(t);
    if (r.quarantine) load.quarantine.absorb(r.quarantine);
    load.written.push(...(r.extents ?? []));
    for (const s of r.schemas ?? []) load.partSchemas.push(s);
    load.lastSetAside = Math.max(load.lastSetAside, r.lastSetAside ?? 0);
  });
}

/** Drops what the parts that finished wrote (a failed part undid its own). */
function undoParts(dir: string, parts: PartHandle[], results: FileResult[]): void {
  parts.forEach((p, i) => {
    const r = results[i]!;
    if (r.needsAlone || r.fr.refused) return;
    dropExtents(dir, p.written);
    if (r.quarantine) rmSync(r.quarantine.partial, { force: true });
  });
}
