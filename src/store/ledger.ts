/**
 * The ledger: one entry per ingested file, so the same content is not loaded twice. Files are known by their
 * content — the SHA-256 of the decoded bytes, so `x.ndjson` and `x.ndjson.gz` are one file — and by an
 * anchor: the hash of their first whole lines (up to 64 KiB), which is also the start of any later version
 * of a file that grew, so a grown file is found and only its new part loaded (ingest decides, see
 * ingest/identity.ts). Entries are stored in segments under `ledger/` (one per commit, merged now and then),
 * which the manifest lists, so a commit writes only its own entries.
 * Entries made before content identity (`ingest-log.json`) keep the hash of the file as stored, its size and
 * the hash of its first MiB: such a file is still recognised the old way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import { WorkspaceError, readJsonFile } from './errors.js';
import { manifestPath, readManifest } from './manifest.js';

export interface LedgerEntry {
  file: string;
  at: string;
  loaded: number;
  quarantined: number;
  /** SHA-256 hex of the decoded content, and its length in bytes. */
  content?: string;
  bytes?: number;
  /** The hash of the content's first whole lines within 64 KiB (or of its first 64 KiB when it has no line end there). */
  anchor?: { bytes: number; hash: string };
  /** Line formats: where a grown version of this file continues (byte of the decoded content, and its line). */
  resume?: { byte: number; line: number };
  format?: string;
  /** The content hash of the entry this file grew from (only the part after it was loaded). */
  grownFrom?: string;
  /** Entries from before content identity: SHA-256 of the file as stored, its size, SHA-256 of its first MiB. */
  stored?: string;
  size?: number;
  fingerprint?: string;
}

/** The ledger in memory: entries in the order they were made, looked up by content, anchor or stored size. */
export class Ledger {
  readonly entries: LedgerEntry[] = [];
  private readonly byContent = new Map<string, LedgerEntry>();
  private readonly byAnchor = new Map<string, LedgerEntry[]>();
  private readonly bySize = new Map<number, LedgerEntry[]>();
  /** Legacy entries without a size (from before fingerprints): any file may match one. */
  private unsized = 0;

  constructor(entries: Iterable<LedgerEntry> = []) {
    for (const e of entries) this.add(e);
  }

  add(e: LedgerEntry): void {
    this.entries.push(e);
    if (e.content) this.byContent.set(e.content, e);
    if (e.anchor) push(this.byAnchor, e.anchor.hash, e);
    if (e.stored) {
      if (e.size === undefined) this.unsized++;
      else push(this.bySize, e.size, e);
    }
  }

  byContentHash(hash: string): LedgerEntry | undefined {
    return this.byContent.get(hash);
  }

  byAnchorHash(hash: string): readonly LedgerEntry[] {
    return this.byAnchor.get(hash) ?? [];
  }

  /** Legacy entries a file of this stored size may match (plus those that recorded no size). */
  legacyCandidates(size: number): LedgerEntry[] {
    const sized = this.bySize.get(size) ?? [];
    return this.unsized ? [...sized, ...this.entries.filter((e) => e.stored && e.size === undefined)] : sized;
  }

  /** The entry whose content (as stored, legacy) hashes to `hash`. */
  byStoredHash(hash: string): LedgerEntry | undefined {
    return this.entries.find((e) => e.stored === hash);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

const SEGMENT_WAY_OUT = 'Restore it from a backup. Without it, kqlite no longer knows that the files it lists were ingested: remove the segment\'s name from "ledger" in manifest.json to go on, and re-ingesting those files will load them again.';

export function readLedgerSegment(dir: string, name: string): LedgerEntry[] {
  const path = insideWorkspace(dir, 'ledger', name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new WorkspaceError(`the ledger segment ${path} listed in the workspace manifest cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). ${SEGMENT_WAY_OUT}`);
  }
  const out: LedgerEntry[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (!l) continue;
    try {
      const e = JSON.parse(l) as LedgerEntry;
      if (typeof e.file !== 'string' || typeof e.at !== 'string') throw new Error('an entry without file or time');
      out.push(e);
    } catch (err) {
      throw new WorkspaceError(`the ledger segment ${path} is damaged at line ${line} (${(err as Error).message}). ${SEGMENT_WAY_OUT}`);
    }
  }
  return out;
}

export const segmentText = (entries: readonly LedgerEntry[]) => entries.map((e) => JSON.stringify(e) + '\n').join('');

/** The entries of a legacy `ingest-log.json` (keyed by the SHA-256 of each file as stored). */
export function legacyLedger(dir: string): LedgerEntry[] {
  const path = insideWorkspace(dir, 'ingest-log.json');
  let log: Record<string, LedgerEntry>;
  try {
    log = readJsonFile<Record<string, LedgerEntry>>(path, 'the ingest log', 'Restore it from a backup, or delete it: the files it lists would then load again if ingested again.', (v) => (v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'not an object'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return Object.entries(log).map(([hash, e]) => ({ file: String(e.file), at: String(e.at), loaded: Number(e.loaded) || 0, quarantined: Number(e.quarantined) || 0, stored: hash, ...(e.size !== undefined ? { size: e.size } : {}), ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}) }));
}

/** The committed ledger of a workspace: the segments its manifest lists (or, before manifests, ingest-log.json). */
export function readCommittedLedger(dir: string): LedgerEntry[] {
  if (!existsSync(manifestPath(dir))) return legacyLedger(dir);
  return readManifest(dir).ledger.flatMap((s) => readLedgerSegment(dir, s));
}
