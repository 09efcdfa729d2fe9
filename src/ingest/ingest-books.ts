/**
 * The books of one ingest run, kept by the main thread: per-file reports, progress, whether a file was seen
 * before (the ledger), and the finished files handed to the workspace's writer, which commits them in groups.
 * When the disk fails (full, read-only, I/O errors) the run stops: files committed stay, the files of the
 * commit that failed and those not read yet are reported as not loaded, and the report says why.
 */
import { rmSync } from 'node:fs';
import { AUTO_COMPACT_EXTENTS, compactSmallExtents } from '../store/compact.js';
import { diskProblem } from '../store/errors.js';
import type { LedgerEntry } from '../store/ledger.js';
import type { WorkspaceWriter } from '../store/writer.js';
import { dropExtents } from './file-load.js';
import { anchorOf, headHashes, lineFormat, sight, storedFingerprint, storedHash } from './identity.js';
import { emptyReport, type FileResult } from './ingest-file.js';
import type { FileReport, IngestOptions, IngestReport } from './ingest.js';
import { detectFormat, isDocumentLayout, type Format } from './readers.js';
import { hashPrefix, readHead, type Continuation } from './source.js';

/** A file's first bytes, as the ledger looks at them (head.ts of identity.ts): its anchor and the hashes it could share. */
export interface Head {
  bytes: Buffer;
  whole: boolean;
  format: Format;
  documentLayout: boolean;
  anchor: string;
  hashes: Set<string>;
}

/** What the ledger says of a file before it is read. */
export interface Seen {
  skipped?: FileReport;
  /** A grown file: where it continues. */
  cont?: Continuation;
  /** The entry it was seen as (the same content, or the start of it). */
  entry?: LedgerEntry;
}

export class Books {
  private readonly reports: (FileReport | undefined)[];
  private readonly live = new Map<number, { bytes: number; records: number }>();
  private bytesDone = 0;
  private recordsDone = 0;
  /** Files staged since the last commit (lost if the next commit fails). */
  private uncommitted: number[] = [];
  /** Why the run stopped early (the disk failed), if it did. */
  aborted: string | undefined;
  /** What the run says once, at its end. */
  private readonly notes: string[] = [];

  constructor(readonly writer: WorkspaceWriter, readonly files: string[], readonly sizes: number[], private readonly opts: IngestOptions) {
    this.reports = files.map(() => undefined);
  }

  readOptions(frozen: boolean) {
    const o = this.opts;
    return {
      ...(o.table ? { table: o.table } : {}), ...(o.format ? { format: o.format } : {}), ...(o.rowsPerExtent ? { rowsPerExtent: o.rowsPerExtent } : {}),
      ...(o.cellsPerFlush ? { cellsPerFlush: o.cellsPerFlush } : {}), ...(o.columnar === false ? { columnar: false } : {}), schemaFrozen: frozen,
    };
  }

  /** The file's first bytes (read once; a file that cannot be read is reported, not thrown). */
  async head(i: number): Promise<Head | FileReport> {
    const file = this.files[i]!;
    try {
      const h = await readHead(file);
      const forced = this.opts.format && this.opts.format !== 'auto' ? (this.opts.format as Format) : undefined;
      return { bytes: h.bytes, whole: h.whole, format: forced ?? detectFormat(file, h.text), documentLayout: isDocumentLayout(h.text), anchor: anchorOf(h.bytes).hash, hashes: new Set(headHashes(h.bytes).keys()) };
    } catch (e) {
      return { ...emptyReport(file), refused: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }

  /** Whether the ledger already holds this content, or the start of it (a file that grew). */
  async seenBefore(i: number, head: Head): Promise<Seen> {
    if (this.opts.force) return {};
    const file = this.files[i]!;
    const ledger = this.writer.ledger;
    const skip = (why: string, entry: LedgerEntry): Seen => ({ skipped: { ...emptyReport(file), skipped: why }, entry });
    // entries from before content identity: same size, same first MiB, same bytes as stored
    const legacy = ledger.legacyCandidates(this.sizes[i]!);
    if (legacy.length) {
      const fp = storedFingerprint(file);
      if (legacy.some((e) => e.size === undefined || e.fingerprint === fp)) {
        const e = ledger.byStoredHash(await storedHash(file));
        if (e) return skip(sameContent(e), e);
      }
    }
    const s = await sight(head.bytes, head.whole, lineFormat(head.format, head.documentLayout), head.format === 'csv', ledger, (n) => hashPrefix(file, n));
    if (s.kind === 'same') return skip(sameContent(s.entry), s.entry);
    if (s.kind === 'not-continuable') return skip(`it starts with all of ${s.entry.file} (ingested on ${s.entry.at}) and goes on, but a ${head.format} file cannot be read from where it grew; use --force to load all of it again`, s.entry);
    if (s.kind === 'grown') return { cont: s.cont, entry: s.entry };
    return {};
  }

  progress(i: number, bytes: number, records: number): void {
    this.live.set(i, { bytes: Math.min(bytes, this.sizes[i]!), records });
    if (!this.opts.onProgress) return;
    let b = this.bytesDone;
    let r = this.recordsDone;
    for (const l of this.live.values()) {
      b += l.bytes;
      r += l.records;
    }
    this.opts.onProgress({ bytesDone: b, bytesTotal: this.sizes.reduce((a, x) => a + x, 0), records: r, file: this.files[i]!, fileIndex: i, files: this.files.length });
  }

  /** A file is finished: a whole one is staged for the writer's next commit, any other only reported. */
  done(i: number, res: FileResult, seen: Seen): void {
    const { fr } = res;
    if (res.same && seen.entry) fr.skipped = sameContent(seen.entry);
    this.live.delete(i);
    this.bytesDone += this.sizes[i]!;
    this.recordsDone += fr.read;
    this.reports[i] = fr;
    if (this.aborted) return this.drop(i, res, this.aborted);
    if (res.identity && !fr.refused && !fr.skipped) {
      const id = res.identity;
      if (res.continued && seen.entry && seen.cont) (fr.notes ??= []).push(`it grew since ${seen.entry.file} was ingested on ${seen.entry.at}: only what follows was loaded, from line ${seen.cont.line} on`);
      const entry: LedgerEntry = {
        file: fr.file, at: new Date().toISOString(), loaded: fr.loaded, quarantined: fr.quarantined, content: id.content, bytes: id.bytes, anchor: id.anchor,
        ...(res.resume ? { resume: res.resume } : {}), ...(fr.format ? { format: fr.format } : {}), ...(res.continued ? { grownFrom: res.continued } : {}),
      };
      this.writer.stage({ ...(res.extents ? { extents: res.extents } : {}), ...(res.rows ? { rows: res.rows } : {}), schemas: res.schemas ?? [], ...(res.quarantine ? { quarantine: res.quarantine } : {}), ledger: entry });
      this.uncommitted.push(i);
      this.commit(false);
    }
    if (res.diskFailure) {
      // what is staged may still fit (this file's extents are gone); then nothing more is read
      this.commit(true);
      this.abort(res.diskFailure);
    }
  }

  /** Commits (when due, or now): on failure the run stops and the files of the failed commit are reported lost. */
  commit(now: boolean): void {
    if (this.aborted) return;
    try {
      if (now) this.writer.commit();
      else if (!this.writer.commitIfDue()) return;
      this.uncommitted = [];
    } catch (e) {
      const problem = diskProblem(e);
      if (!problem) throw e;
      this.abort(`${problem} committing to ${this.writer.dir}`);
    }
  }

  /** After the files: a table left with many small extents has them merged (a commit of its own). */
  compact(rowsPerExtent?: number): void {
    try {
      const done = compactSmallExtents(this.writer, { moreThan: AUTO_COMPACT_EXTENTS, ...(rowsPerExtent ? { rowsPerExtent } : {}) });
      this.writer.commit();
      for (const t of done) this.notes.push(`${t.name}: ${t.extentsBefore} extents, many of them small, compacted into ${t.extentsAfter}`);
    } catch (e) {
      const problem = diskProblem(e);
      if (!problem) throw e;
      this.notes.push(`the small extents were not compacted: ${problem} (the files are loaded; kqlite compact does it later)`);
    }
  }

  private abort(why: string): void {
    this.aborted ??= why;
    for (const j of this.uncommitted) this.lost(j, `not committed: ${why}`);
    this.uncommitted = [];
  }

  /** A file read after the run stopped: nothing of it is kept. */
  private drop(i: number, res: FileResult, why: string): void {
    dropExtents(this.writer.dir, res.extents ?? []);
    if (res.quarantine) rmSync(res.quarantine.partial, { force: true });
    if (!res.fr.skipped && !res.fr.refused) this.lost(i, `not committed: ${why}`);
  }

  private lost(i: number, why: string): void {
    const fr = this.reports[i]!;
    Object.assign(fr, { refused: `${why} (nothing of this file was kept)`, read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {} });
  }

  /** A file that could not even be opened: reported, and the run goes on. */
  unreadable(i: number, fr: FileReport): void {
    this.live.delete(i);
    this.bytesDone += this.sizes[i]!;
    this.reports[i] = fr;
  }

  report(): IngestReport {
    const report: IngestReport = { files: [], read: 0, loaded: 0, quarantined: 0, refusedFiles: 0, skippedFiles: 0, ...(this.aborted ? { stopped: this.aborted } : {}), ...(this.notes.length ? { notes: [...this.notes] } : {}) };
    this.reports.forEach((r, i) => {
      const fr = r ?? (this.aborted ? { ...emptyReport(this.files[i]!), refused: `not read: the ingest stopped (${this.aborted})` } : undefined);
      if (!fr) return;
      report.files.push(fr);
      if (fr.skipped) report.skippedFiles++;
      else if (fr.refused) report.refusedFiles++;
      report.read += fr.read;
      report.loaded += fr.loaded;
      report.quarantined += fr.quarantined;
    });
    return report;
  }
}

const sameContent = (e: LedgerEntry) => `already ingested on ${e.at} (same content as ${e.file}); use --force to load it again`;
