/**
 * One thread's part of an NDJSON file split across threads (ingest-split.ts): the blocks of whole lines it is
 * given go through the same reader as a whole file (json-columns.ts, the generic path for odd lines) into a
 * FileLoad of its own, which writes this part's extents and keeps its quarantine. Schemas are frozen: a line
 * that would add a table or a column ends the part with `needsAlone`, and the file is read again in one
 * thread, so schema changes keep the order of a sequential ingest.
 */
import type { TableSchema } from '../kql/semantics/types.js';
import { FileLoad, fixedTarget, SchemaChangeError, type LoadOptions } from './file-load.js';
import { emptyReport, loaded, type FileResult } from './ingest-file.js';
import { NdjsonColumns } from './json-columns.js';
import { LineBytes } from './splitters.js';

export class PartReader {
  private readonly load: FileLoad;
  private readonly rows: NdjsonColumns;
  /** Set once the part has failed (and been undone): later blocks are skipped. */
  private outcome: FileResult | undefined;

  constructor(dir: string, file: string, opts: LoadOptions, schemas: readonly TableSchema[]) {
    this.load = new FileLoad(fixedTarget(dir, schemas), file, emptyReport(file), { ...opts, schemaFrozen: true, inline: false });
    if (!this.load.fallbackTable) throw new Error(`${file}: a file is split across threads only when its table is known`);
    this.rows = new NdjsonColumns(this.load, this.load.fallbackTable);
  }

  block(bytes: Uint8Array, firstLine: number): void {
    this.guard(() => {
      const lines = new LineBytes((buf, s, e, line) => this.rows.line(buf, s, e, line), (l) => this.rows.generic(l), undefined, firstLine);
      lines.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      lines.end(); // a block ends with a newline, but for the file's last line
      this.load.afterBatch();
    });
  }

  problem(line: number, problem: string): void {
    this.guard(() => this.rows.generic({ line, problem }));
  }

  /** The part's report, sealed quarantine and extents (or why it failed, with nothing kept). */
  end(): FileResult {
    this.guard(() => this.load.finish());
    if (this.outcome) return this.outcome;
    const fr = this.load.fr;
    return { fr, ...loaded(this.load) };
  }

  private guard(f: () => void): void {
    if (this.outcome) return;
    try {
      f();
    } catch (e) {
      this.load.undo();
      const fr = this.load.fr;
      if (e instanceof SchemaChangeError) this.outcome = { fr, needsAlone: true };
      else {
        fr.refused = `${e instanceof Error ? e.message : String(e)} (nothing of this file was kept)`;
        this.outcome = { fr };
      }
    }
  }
}
