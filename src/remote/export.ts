/**
 * `kqlite export`: a workspace's tables into a Kusto database, unchanged in shape — `.create-merge table`
 * with the workspace schema, then the rows as CSV in `.ingest inline` batches (exact longs, 7-digit
 * datetimes, dynamics as JSON text), so a workspace that outgrew one machine moves to Azure Data Explorer
 * (or another kqlite server) and the same rules run there. Inline ingestion suits moderate sets; for very
 * large ones ADX's queued ingestion (from blobs) is the tool, and the message says so.
 */
import type { TableSource } from '../engine/index.js';
import { readCell } from '../engine/storage/builders.js';
import type { Column } from '../engine/storage/column.js';
import { formatDatetime, formatTimespan } from '../engine/values/ticks.js';
import type { Value } from '../engine/values/value.js';
import { jsonText } from '../engine/values/json.js';
import type { KustoEngine } from './kusto-engine.js';
import { RemoteError } from './remote-types.js';

export interface ExportReport {
  tables: { name: string; rows: number; batches: number }[];
}

/** Text of one batch of CSV before it is sent (well under Kusto's request size limits). */
const BATCH_BYTES = 1024 * 1024;

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A cell as Kusto's CSV ingestion reads it back: empty for null, quoted text where it needs quotes. */
export function csvCell(v: Value, type: Column['type']): string {
  if (v === null) return '';
  switch (type) {
    case 'datetime':
      return formatDatetime(v as bigint);
    case 'timespan':
      return formatTimespan(v as bigint);
    case 'bool':
      return v ? 'true' : 'false';
    case 'string':
    case 'guid':
      return (v as string) === '' ? '' : /[",\r\n]|^\s|\s$/.test(v as string) ? quote(v as string) : (v as string);
    case 'dynamic':
      return quote(jsonText(v));
    default:
      return typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : String(v);
  }
}

const nameText = (n: string) => `['${n.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;

export async function exportTables(source: TableSource, engine: KustoEngine, tables: readonly string[], onBatch?: (table: string, rows: number) => void): Promise<ExportReport> {
  const report: ExportReport = { tables: [] };
  for (const name of tables) {
    const schema = source.schema(name);
    if (!schema) throw new RemoteError(`the workspace has no table '${name}'`);
    await engine.command(`.create-merge table ${nameText(name)} (${schema.columns.map((c) => `${nameText(c.name)}:${c.type}`).join(', ')})`);
    let rows = 0, batches = 0;
    let batch: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      await engine.command(`.ingest inline into table ${nameText(name)} <| ${batch.join('\n')}`);
      batches++;
      onBatch?.(name, rows);
      batch = [];
      bytes = 0;
    };
    for (const extent of source.scan(name)) {
      // columns in schema order (extents hold the full schema in that order)
      const cols = schema.columns.map((c) => extent.columns.find((x) => x.name === c.name)?.column);
      for (let i = 0; i < extent.length; i++) {
        const line = cols.map((c) => (c ? csvCell(readCell(c, i), c.type) : '')).join(',');
        batch.push(line);
        bytes += line.length + 1;
        rows++;
        if (bytes >= BATCH_BYTES) await flush();
      }
    }
    await flush();
    report.tables.push({ name, rows, batches });
  }
  return report;
}
