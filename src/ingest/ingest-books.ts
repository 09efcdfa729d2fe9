/**
 * The books of one ingest run, kept by the main thread: per-file reports, progress, whether a file was seen
 * before (the ledger), and the finished files handed to the workspace's writer, which commits them in groups.
 * When the disk fails (full, read-only, I/O errors) the run stops: files committed stay, the files of the
 * commit that failed and those not read yet are reported as not loaded, and the report says why.
 */
import { rmSync } from 'node:fs';
import { diskProblem } from '../store/errors.js';
import type { LedgerEntry } from '../store/ledger.js';
import type { WorkspaceWriter } from '../store/writer.js';
import { dropExtents } from './file-load.js';
import { emptyReport, type FileResult } from './ingest-file.js';
import type { FileReport, IngestOptions, IngestReport } from './ingest.js';
import { fingerprint, hashFile } from './source.js';

export class Books {
  private readonly reports: (FileReport | undefined)[];
  private readonly live = new Map<number, { bytes: number; records: number }>();
  private bytesDone = 0;
  private recordsDone = 0;
  /** Files staged since the last commit (lost if the next commit fails). */
  private uncommitted: number[] = [];
  /** Why the run stopped early (the disk failed), if it did. */
  aborted: string | undefined;

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

  /** Whether the ledger already holds this content; hashes the file up front only when it may. */
  async seenBefore(i: number): Promise<{ hash?: string; fingerprint: string; skipped?: FileReport }> {
    const file = this.files[i]!;
    const size = this.sizes[i]!;
    const fp = fingerprint(file);
    // entries written before fingerprints existed have no size: any file may match them
    const maybe = this.writer.ledger.legacyCandidates(size).some((e) => e.size === undefined || e.fingerprint === fp);
    if (!maybe || this.opts.force) return { fingerprint: fp };
    const hash = await hashFile(file);
    const entry = this.writer.ledger.byStoredHash(hash);
    if (!entry) return { hash, fingerprint: fp };
    const fr = emptyReport(file);
    fr.skipped = `already ingested on ${entry.at} (same content as ${entry.file}); use --force to load it again`;
    return { hash, fingerprint: fp, skipped: fr };
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
  done(i: number, res: FileResult, seen: { fingerprint: string }): void {
    const { fr } = res;
    this.live.delete(i);
    this.bytesDone += this.sizes[i]!;
    this.recordsDone += fr.read;
    this.reports[i] = fr;
    if (this.aborted) return this.drop(i, res, this.aborted);
    if (res.hash && !fr.refused && !fr.skipped) {
      const entry: LedgerEntry = { file: fr.file, at: new Date().toISOString(), loaded: fr.loaded, quarantined: fr.quarantined, stored: res.hash, size: this.sizes[i]!, fingerprint: seen.fingerprint };
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

  report(): IngestReport {
    const report: IngestReport = { files: [], read: 0, loaded: 0, quarantined: 0, refusedFiles: 0, skippedFiles: 0, ...(this.aborted ? { stopped: this.aborted } : {}) };
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
