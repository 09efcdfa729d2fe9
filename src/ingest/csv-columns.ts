/**
 * CSV into columns without a record object: the splitter's field boundaries go to the table's column
 * accumulators, which read each cell from its bytes (TableAccumulator.addFields). Used when the file's table
 * is known up front (file name or --table), as it always is for Advanced Hunting exports; otherwise the
 * generic record path decides (and refuses the file). The first data row goes through the generic path, so a
 * table without a schema, or columns outside it, are inferred and typed exactly as there; a row that does not
 * fit is rebuilt as an object only to be quarantined with the same reason and raw text as the generic path.
 */
import { MAX_TABLE_COLUMNS, TOO_MANY_COLUMNS, type TableAccumulator } from './accumulate.js';
import { CoercionError } from './coerce.js';
import type { CsvSink } from './csv-splitter.js';
import { SchemaChangeError, type FileLoad } from './file-load.js';
import { csvColumnName, setField } from './readers.js';

const RAW_KEPT = 2000;

export class CsvColumns implements CsvSink {
  private header: string[] | undefined;
  private acc: TableAccumulator | undefined;
  private fieldOf = new Int32Array(0);

  constructor(private readonly load: FileLoad, private readonly table: string, private readonly schemaFrozen: boolean) {}

  record(buf: Buffer, starts: Int32Array, ends: Int32Array, fields: number, line: number): void {
    const header = this.header;
    if (!header) {
      this.header = texts(buf, starts, ends, fields).map(csvColumnName);
      if (this.schemaFrozen) this.checkHeader(this.header);
      return;
    }
    const load = this.load;
    load.fr.read++;
    if (header.length > MAX_TABLE_COLUMNS) {
      load.setAside({ line, raw: texts(buf, starts, ends, Math.min(fields, 100)).join(',').slice(0, RAW_KEPT) }, this.table, `the CSV header names ${header.length.toLocaleString('en-US')} columns: ${TOO_MANY_COLUMNS}`);
      return;
    }
    if (fields !== header.length) {
      load.setAside({ line, raw: texts(buf, starts, ends, fields).join(',').slice(0, RAW_KEPT) }, this.table, `CSV row has ${fields} fields, the header has ${header.length}`);
      return;
    }
    let acc = this.acc;
    if (!acc && this.knownColumns(header)) {
      // every header name is a column of the table's known schema: the first row is read like the rest
      acc = this.acc = load.accumulator(this.table, {});
      this.mapFields(header, acc);
    }
    if (!acc) {
      const row = rowOf(header, buf, starts, ends);
      const first = (this.acc = load.accumulator(this.table, row));
      load.addRow(first, this.table, { line, row });
      // every header name is a column now (extra ones were added by the first row)
      this.mapFields(header, first);
      return;
    }
    try {
      acc.addFields(buf, starts, ends, this.fieldOf);
    } catch (e) {
      if (!(e instanceof CoercionError)) throw e;
      load.setAside({ line, raw: JSON.stringify(rowOf(header, buf, starts, ends)).slice(0, RAW_KEPT) }, this.table, e.message);
      return;
    }
    load.afterRow(acc);
  }

  /** Each column's field in a record (-1: the header does not name it). */
  private mapFields(header: string[], acc: TableAccumulator): void {
    const columnOf = new Map(header.map((h, j) => [h, j]));
    this.fieldOf = Int32Array.from(acc.schema.columns, (c) => columnOf.get(c.name) ?? -1);
  }

  private knownColumns(header: string[]): boolean {
    const base = this.load.baseSchema(this.table);
    return !!base && header.every((h) => base.columns.some((c) => c.name === h));
  }

  problem(line: number, message: string, raw?: string): void {
    this.load.fr.read++;
    this.load.setAside({ line, ...(raw !== undefined ? { raw: raw.slice(0, RAW_KEPT) } : {}) }, this.table, message);
  }

  /** Loading beside other files, the header must name only columns the table already has. */
  private checkHeader(header: string[]): void {
    const schema = this.load.baseSchema(this.table);
    if (!schema) throw new SchemaChangeError(`table ${this.table} is new`);
    const known = new Set(schema.columns.map((c) => c.name));
    const extra = header.find((h) => !known.has(h));
    if (extra !== undefined) throw new SchemaChangeError(`column ${extra} of ${this.table} is new`);
  }
}

function texts(buf: Buffer, starts: Int32Array, ends: Int32Array, n: number): string[] {
  const out: string[] = new Array(n);
  for (let j = 0; j < n; j++) out[j] = buf.toString('utf8', starts[j]!, ends[j]!);
  return out;
}

/** The record as the generic path sees it (a later duplicate header name wins, as in an object). */
function rowOf(header: string[], buf: Buffer, starts: Int32Array, ends: Int32Array): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let j = 0; j < header.length; j++) setField(row, header[j]!, buf.toString('utf8', starts[j]!, ends[j]!));
  return row;
}
