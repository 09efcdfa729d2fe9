/**
 * Which file is this? Files are known by their decoded content, never by their container: `x.ndjson` and
 * `x.ndjson.gz` holding the same text are one file. The ledger (store/ledger.ts) keeps each ingested file's
 * content hash and length, and its anchor: the hash of its first whole lines up to 64 KiB. A new file's
 * first 64 KiB are hashed at each line end; a ledger entry whose anchor is one of those hashes may be the
 * start of the new file. Then (longest candidate first):
 *   - the new file is exactly that content: a duplicate, skipped;
 *   - it starts with that content and goes on (a log that grew): for line formats only the new part is
 *     loaded, lines numbered on from where the earlier file ended; other formats cannot be continued (their
 *     structure closes at the end, e.g. a JSON array), and the file is skipped with a note (--force loads it).
 * Whether a long earlier content really is the start of the new file is checked as the file is read (the
 * Source's Continuation); if it is not, the file is read whole. Entries from before content identity are
 * matched the old way: stored size, hash of the first MiB, then the hash of the file as stored.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Ledger, LedgerEntry } from '../store/ledger.js';
import type { Format } from './readers.js';
import type { Continuation } from './source.js';

export const ANCHOR_BYTES = 64 * 1024;

/** A file's content as the ledger keeps it. */
export interface ContentIdentity {
  /** SHA-256 hex of the decoded bytes, and how many there are. */
  content: string;
  bytes: number;
  anchor: { bytes: number; hash: string };
  /** Just after the last newline (0 when there is none). */
  lastNewline: number;
  /** Newlines in the whole content. */
  newlines: number;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The anchor of content that starts with `head`: its first whole lines within 64 KiB (all of it without a newline there). */
export function anchorOf(head: Buffer): { bytes: number; hash: string } {
  const part = head.subarray(0, ANCHOR_BYTES);
  const nl = part.lastIndexOf(0x0a);
  const n = nl >= 0 ? nl + 1 : part.length;
  return { bytes: n, hash: sha256(part.subarray(0, n)) };
}

/** The hashes of the head's first n bytes for every n that could be an anchor: each line end, and its end. */
export function headHashes(head: Buffer): Map<string, number> {
  const part = head.subarray(0, ANCHOR_BYTES);
  const out = new Map<string, number>();
  const h = createHash('sha256');
  let from = 0;
  for (let nl = part.indexOf(0x0a); nl >= 0; nl = part.indexOf(0x0a, from)) {
    h.update(part.subarray(from, nl + 1));
    from = nl + 1;
    out.set(h.copy().digest('hex'), from);
  }
  if (from < part.length) {
    h.update(part.subarray(from));
    out.set(h.digest('hex'), part.length);
  }
  return out;
}

/** Formats a grown file can be continued in: one record per line (CSV: per record, after its header). */
export function lineFormat(format: Format, documentLayout: boolean): boolean {
  return format === 'csv' || ((format === 'ndjson' || format === 'defender-stream' || format === 'sentinel') && !documentLayout);
}

export type Sighting =
  | { kind: 'new' }
  | { kind: 'same'; entry: LedgerEntry }
  | { kind: 'grown'; entry: LedgerEntry; cont: Continuation }
  | { kind: 'not-continuable'; entry: LedgerEntry };

/**
 * What the ledger knows of a file whose content starts with `head` (`whole`: the head is all of it).
 * `lineBased`: its format can be continued. `prefixOf(n)`: the hash of its first n bytes and whether more
 * follow (read from the file: asked only for a long candidate in a format that cannot be continued).
 */
export async function sight(head: Buffer, whole: boolean, lineBased: boolean, csv: boolean, ledger: Ledger, prefixOf: (n: number) => Promise<{ hash: string; more: boolean }>): Promise<Sighting> {
  const candidates: LedgerEntry[] = [];
  for (const [hash, n] of headHashes(head)) for (const e of ledger.byAnchorHash(hash)) if (e.anchor?.bytes === n && e.content && e.bytes !== undefined) candidates.push(e);
  candidates.sort((a, b) => b.bytes! - a.bytes!);
  for (const e of candidates) {
    const n = e.bytes!;
    if (n <= head.length) {
      if (sha256(head.subarray(0, n)) !== e.content) continue;
      if (whole && head.length === n) return { kind: 'same', entry: e };
    } else if (whole) continue; // the file is shorter than that content
    else if (!lineBased || !e.resume) {
      const p = await prefixOf(n);
      if (p.hash !== e.content) continue;
      if (!p.more) return { kind: 'same', entry: e };
    }
    if (!lineBased || !e.resume) return { kind: 'not-continuable', entry: e };
    // a long earlier content is checked as the file is read: a mismatch reads the file whole
    return { kind: 'grown', entry: e, cont: { byte: e.resume.byte, line: e.resume.line, prefix: { bytes: n, content: e.content! }, ...(csv ? { header: true } : {}) } };
  }
  return { kind: 'new' };
}

/** Where a grown version of this content would continue: after its last line, or at the start of an unfinished last line that was set aside. */
export function resumePoint(id: ContentIdentity, lastLineSetAside: boolean): { byte: number; line: number } {
  const line = id.newlines + 1;
  if (id.lastNewline === id.bytes || !lastLineSetAside) return { byte: id.bytes, line };
  return { byte: id.lastNewline, line };
}

/** Entries from before content identity: SHA-256 of the file's first MiB as stored (with its size, a cheap test). */
export function storedFingerprint(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const got = readSync(fd, buf, 0, buf.length, 0);
    return sha256(buf.subarray(0, got));
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 of a whole file as stored (entries from before content identity). */
export async function storedHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(c as Buffer);
  return hash.digest('hex');
}
