/**
 * The write side of a workspace: one writer at a time (lock.ts), committing by one atomic step.
 * Opening a writer takes the lock, reads the committed manifest (migrating a workspace from before manifests),
 * and removes what earlier writers left uncommitted (gc.ts). Extents are written by any thread straight into
 * their table folder (`writeExtentAt`, files flushed), invisible until a commit lists them. A finished file
 * is staged — its extents, its schema changes, its quarantine, its ledger entry, and small files' rows, which
 * are gathered into one shared extent rather than an extent each — and `commit` makes everything staged
 * visible at once: the quarantine segment, the ledger segment, then the manifest, each written and flushed,
 * the manifest renamed into place last. A crash before that rename leaves the workspace as it was (the next
 * writer removes the leftovers); after it, everything is there. Commits are grouped (`commitIfDue`, about
 * once a second), so thousands of small files do not cost a commit each.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { faultPoint } from '../common/faults.js';
import { lazyPackage } from '../common/lazy-package.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import { mergeExtents } from '../engine/storage/merge.js';
import type { Table } from '../engine/storage/column.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { fsyncPath, writeFileDurable, writeNewFile } from './durable.js';
import { WorkspaceError } from './errors.js';
import { alignTable, writeExtentFiles } from './extent-format.js';
import { collectGarbage } from './gc.js';
import { Ledger, legacyLedger, readLedgerSegment, segmentText, type LedgerEntry } from './ledger.js';
import { legacyManifest } from './legacy-layout.js';
import { MANIFEST_FORMAT, manifestPath, readManifest, tableNameProblem, writeManifest, type ExtentEntry, type Manifest } from './manifest.js';
import { WriterLock } from './lock.js';
import { writeQuarantineSegment, type SealedQuarantine } from './quarantine.js';
import { timestampRange } from './timestamps.js';

/** An extent written for a file, not yet committed. */
export interface StagedExtent extends ExtentEntry {
  table: string;
}

/** A finished file, ready to be committed. */
export interface StagedFile {
  /** Extents it wrote (on disk, flushed), in order. */
  extents?: StagedExtent[];
  /** A small file's rows, held to be written with other small files' into one extent per table. */
  rows?: { schema: TableSchema; table: Table }[];
  /** The columns of each table it loaded rows into (merged into the table's schema). */
  schemas: TableSchema[];
  quarantine?: SealedQuarantine;
  ledger?: LedgerEntry;
}

interface TableState {
  name: string;
  schema: TableSchema;
  extents: ExtentEntry[];
  /** Its schema changed since the last commit (schema.json is rewritten with it). */
  dirty: boolean;
}

/** How long staged files wait for others to share their commit. */
/** node:worker_threads on first use (an extent's name): reading a workspace never loads it (~2-3 ms). */
const workerThreads = lazyPackage<typeof WorkerThreads>('node:worker_threads');

const GROUP_COMMIT_MS = 1000;
/** Small files' rows held before they are written as an extent (rows, bytes). */
const INLINE_ROWS = 1_000_000;
const INLINE_BYTES = 64 << 20;
/** Ledger segments kept before a commit merges them into one. */
const LEDGER_SEGMENTS = 16;

let extentSequence = 0;

/** A new extent's id: ids sort in the order extents were made (time, then a per-thread sequence). */
export function newExtentId(): string {
  return `e-${Date.now().toString().padStart(15, '0')}-${(extentSequence++).toString().padStart(9, '0')}-${process.pid}-${workerThreads().threadId}-${Math.random().toString(36).slice(2, 8)}`;
}

export const safeTableName = (name: string) => {
  const problem = tableNameProblem(name);
  if (problem) throw new WorkspaceError(problem);
  return name;
};

/** Writes `data` as a new extent of `table` (any thread, no lock needed): invisible until a commit lists it. */
export function writeExtentAt(dir: string, table: string, data: Table, source?: string): ExtentEntry {
  const tableDir = insideWorkspace(dir, 'tables', safeTableName(table));
  mkdirSync(tableDir, { recursive: true });
  const id = newExtentId();
  const range = timestampRange(data);
  const meta = writeExtentFiles(insideWorkspace(tableDir, id), data, { ...range, ...(source ? { source } : {}) });
  fsyncPath(tableDir, true);
  faultPoint('extent-written');
  return { id, rows: meta.rows, bytes: meta.bytes, ...(meta.minTimestamp !== undefined ? { minTimestamp: meta.minTimestamp } : {}), ...(meta.maxTimestamp !== undefined ? { maxTimestamp: meta.maxTimestamp } : {}), createdAt: meta.createdAt };
}

export class WorkspaceWriter {
  private committed: Manifest;
  private readonly tables = new Map<string, TableState>();
  readonly ledger: Ledger;
  private readonly counts: Map<string, number>;
  private retired: Manifest['retired'];
  private staged = { ledger: [] as LedgerEntry[], quarantines: [] as SealedQuarantine[], changed: false, files: 0 };
  private readonly inline = new Map<string, { tables: Table[]; rows: number; bytes: number }>();
  private lastCommit = Date.now();
  private broken: unknown;
  private closed = false;

  private constructor(readonly dir: string, private readonly lock: WriterLock, m: Manifest, ledger: LedgerEntry[]) {
    this.committed = m;
    for (const t of m.tables) this.tables.set(t.name.toLowerCase(), { name: t.name, schema: { ...t.schema, name: t.name }, extents: [...t.extents], dirty: false });
    this.ledger = new Ledger(ledger);
    this.counts = new Map(m.quarantine.counts);
    this.retired = m.retired;
  }

  /**
   * Takes the workspace's lock (waiting up to `waitMs` for another writer), reads the committed state and
   * removes leftovers of writers that did not finish. `command` names the holder in a waiting writer's message.
   */
  static open(dir: string, opts: { waitMs?: number; command: string }): WorkspaceWriter {
    mkdirSync(dir, { recursive: true });
    const lock = WriterLock.acquire(dir, opts);
    try {
      faultPoint('lock-taken');
      const has = existsSync(manifestPath(dir));
      const m = has ? readManifest(dir) : legacyManifest(dir);
      const entries = has ? m.ledger.flatMap((s) => readLedgerSegment(dir, s)) : [];
      const w = new WorkspaceWriter(dir, lock, m, entries);
      if (!has) {
        // a workspace from before manifests: its state becomes the first manifest, then its old files go; a
        // new one gets an empty manifest before anything is written, so whatever a failed first ingest
        // leaves is garbage to the next writer, never mistaken for such old data
        const legacy = legacyLedger(dir);
        for (const e of legacy) w.ledger.add(e);
        w.staged.ledger.push(...legacy);
        w.staged.changed = true;
        w.commit();
      }
      const kept = collectGarbage(dir, w.committed);
      if (kept.length !== w.retired.length) {
        w.retired = kept;
        w.staged.changed = true;
      }
      return w;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** The table's schema as this writer sees it (committed and staged), by name in any case. */
  schema(name: string): TableSchema | undefined {
    return this.tables.get(name.toLowerCase())?.schema;
  }

  schemas(): TableSchema[] {
    return [...this.tables.values()].map((t) => t.schema);
  }

  /** Each table's name and extents as staged (what a compaction works on). */
  tableStates(): readonly { name: string; schema: TableSchema; extents: readonly ExtentEntry[] }[] {
    return [...this.tables.values()];
  }

  /** Writes an extent of `table` for this writer (see writeExtentAt). */
  writeExtent(table: string, data: Table, source?: string): ExtentEntry {
    return writeExtentAt(this.dir, table, data, source);
  }

  /** Adds a finished file to what the next commit makes visible. */
  stage(f: StagedFile): void {
    this.usable();
    // rows keep the order of files: small files' rows held so far are written before this file's extents
    if (f.extents?.length) this.writeInline();
    for (const s of f.schemas) this.mergeSchema(s);
    for (const { table, ...e } of f.extents ?? []) this.state(table).extents.push(e);
    for (const r of f.rows ?? []) {
      const key = this.state(r.schema.name!).name.toLowerCase();
      let held = this.inline.get(key);
      if (!held) this.inline.set(key, (held = { tables: [], rows: 0, bytes: 0 }));
      held.tables.push(r.table);
      held.rows += r.table.length;
      held.bytes += approxBytes(r.table);
    }
    if (f.quarantine?.count) {
      this.staged.quarantines.push(f.quarantine);
      for (const [t, n] of f.quarantine.perTable) this.counts.set(t, (this.counts.get(t) ?? 0) + n);
    }
    if (f.ledger) {
      this.ledger.add(f.ledger);
      this.staged.ledger.push(f.ledger);
    }
    this.staged.changed = true;
    this.staged.files++;
    let rows = 0;
    let bytes = 0;
    for (const h of this.inline.values()) {
      rows += h.rows;
      bytes += h.bytes;
    }
    if (rows >= INLINE_ROWS || bytes >= INLINE_BYTES) this.writeInline();
  }

  /** Commits what is staged when the last commit was long enough ago (files share commits); whether it did. */
  commitIfDue(): boolean {
    if (!this.staged.changed || Date.now() - this.lastCommit < GROUP_COMMIT_MS) return false;
    this.commit();
    return true;
  }

  /** Replaces `ids` of `table` by `into` (a compaction): the old extents stay on disk a while for running queries. */
  replaceExtents(table: string, ids: readonly string[], into: ExtentEntry[]): void {
    this.usable();
    const t = this.state(table);
    const gone = new Set(ids);
    const out: ExtentEntry[] = [];
    let placed = false;
    for (const e of t.extents) {
      if (!gone.has(e.id)) out.push(e);
      else if (!placed) {
        out.push(...into);
        placed = true;
      }
    }
    t.extents = out;
    const since = new Date().toISOString();
    this.retired = [...this.retired, ...ids.map((id) => ({ table: t.name, id, since }))];
    this.staged.changed = true;
  }

  /** Removes an extent from its table, commits, and deletes its files at once. */
  dropExtent(table: string, id: string): void {
    const t = this.state(table);
    t.extents = t.extents.filter((e) => e.id !== id);
    this.staged.changed = true;
    this.commit();
    rmSync(insideWorkspace(this.dir, 'tables', t.name, id), { recursive: true, force: true });
  }

  /**
   * Makes everything staged visible in one step: the quarantine and ledger segments are written and flushed,
   * then the manifest that lists them with the new extents replaces the old one by rename.
   */
  commit(): void {
    this.usable();
    if (!this.staged.changed) return;
    try {
      this.writeInline();
      faultPoint('commit-start');
      const gen = this.committed.generation + 1;
      const segment = `${String(gen).padStart(12, '0')}.ndjson`;
      const next: Manifest = {
        format: MANIFEST_FORMAT, generation: gen, committedAt: new Date().toISOString(),
        tables: [...this.tables.values()].filter((t) => t.extents.length).map((t) => ({ name: t.name, schema: t.schema, extents: [...t.extents] })).sort((a, b) => (a.name < b.name ? -1 : 1)),
        quarantine: { segments: [...this.committed.quarantine.segments], counts: [...this.counts] },
        ledger: [...this.committed.ledger],
        retired: this.retired,
      };
      if (this.staged.quarantines.length) {
        mkdirSync(insideWorkspace(this.dir, 'quarantine'), { recursive: true });
        writeQuarantineSegment(this.dir, segment, this.staged.quarantines);
        next.quarantine.segments.push(segment);
      }
      faultPoint('commit-quarantine');
      let mergedAway: string[] = [];
      if (this.staged.ledger.length) {
        const d = insideWorkspace(this.dir, 'ledger');
        mkdirSync(d, { recursive: true });
        // every so often the segments become one, so reading the ledger stays a handful of files
        const all = next.ledger.length >= LEDGER_SEGMENTS;
        rmSync(insideWorkspace(d, segment), { force: true });
        writeNewFile(insideWorkspace(d, segment), segmentText(all ? this.ledger.entries : this.staged.ledger), 'commit-ledger-write');
        fsyncPath(d, true);
        if (all) mergedAway = next.ledger;
        next.ledger = all ? [segment] : [...next.ledger, segment];
      }
      faultPoint('commit-ledger');
      for (const t of this.tables.values()) {
        // a copy of each table's schema beside its extents: what a manifest rebuilt from the folders reads
        if (t.dirty && t.extents.length) writeFileDurable(insideWorkspace(this.dir, 'tables', t.name, 'schema.json'), JSON.stringify(t.schema, null, 1));
      }
      writeManifest(this.dir, next);
      faultPoint('commit-done');
      this.committed = next;
      for (const t of this.tables.values()) t.dirty = false;
      for (const q of this.staged.quarantines) rmSync(q.partial, { force: true });
      for (const s of mergedAway) rmSync(insideWorkspace(this.dir, 'ledger', s), { force: true });
      this.staged = { ledger: [], quarantines: [], changed: false, files: 0 };
      this.lastCommit = Date.now();
    } catch (e) {
      // the working state now runs ahead of the disk: nothing more can be committed by this writer
      this.broken = e;
      throw e;
    }
  }

  /** Commits what is staged (unless a commit failed) and releases the lock. */
  close(): void {
    if (this.closed) return;
    try {
      if (!this.broken) this.commit();
    } finally {
      this.closed = true;
      this.lock.release();
    }
  }

  /** Releases the lock without committing: what was staged is dropped (the next writer removes its files). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    this.lock.release();
  }

  private usable(): void {
    if (this.closed) throw new Error('the workspace writer is closed');
    if (this.broken) throw this.broken;
  }

  private state(table: string): TableState {
    const key = table.toLowerCase();
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, (t = { name: safeTableName(table), schema: { name: table, columns: [] }, extents: [], dirty: true }));
    return t;
  }

  /** The table's schema becomes the union of its columns and `s`'s (a column keeps its first type). */
  private mergeSchema(s: TableSchema): void {
    const t = this.state(s.name!);
    const have = new Set(t.schema.columns.map((c) => c.name));
    const add = s.columns.filter((c) => !have.has(c.name));
    if (!add.length) return;
    t.schema = { name: t.name, columns: [...t.schema.columns, ...add.map((c) => ({ name: c.name, type: c.type }))] };
    t.dirty = true;
  }

  /** Writes the small files' rows held so far as one extent per table. */
  private writeInline(): void {
    for (const [key, held] of this.inline) {
      const t = this.tables.get(key)!;
      const merged = mergeExtents(t.schema, held.tables.map((x) => alignTable(x, t.schema)));
      const table: Table = { length: merged.length, columns: merged.columns.map((c) => ({ name: c.name, column: c.column })) };
      t.extents.push(this.writeExtent(t.name, table, held.tables.length > 1 ? `${held.tables.length} small files` : undefined));
    }
    this.inline.clear();
  }
}

/** Roughly the memory a held table takes (its dictionaries counted per row, not read: they may be bytes). */
function approxBytes(t: Table): number {
  let b = 0;
  for (const { column: c } of t.columns) b += c.type === 'string' || c.type === 'guid' || c.type === 'dynamic' ? 48 * c.length : 10 * c.length;
  return b;
}
