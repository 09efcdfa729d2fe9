/**
 * Query results as Kusto's REST v2 answer: a JSON array of frames — DataSetHeader, the @ExtendedProperties
 * table (QueryProperties), one PrimaryResult table per result, QueryCompletionInformation, DataSetCompletion —
 * or, with `results_progressive_enabled`, each table as TableHeader / TableFragment / TableCompletion.
 * Written as text so row values keep their exact JSON (see kusto-json.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ScalarTypeName } from '../../engine/values/value.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import { jsonText } from './kusto-json.js';
import type { OneApiError } from './kusto-errors.js';

export interface KustoTable {
  name: string;
  kind: 'PrimaryResult' | 'QueryProperties' | 'QueryCompletionInformation';
  columns: { name: string; type: ScalarTypeName }[];
  /** The rows as JSON text: an array of arrays. */
  rowsJson: string;
}

export interface CompletionInfo {
  clientRequestId: string;
  activityId: string;
  durationMs: number;
  rowCounts: number[];
  /** A partial failure (e.g. results truncated): reported in the data, the request still answers 200. */
  error?: OneApiError;
  warnings: string[];
}

const COMPLETION_COLUMNS: KustoTable['columns'] = [
  { name: 'Timestamp', type: 'datetime' }, { name: 'ClientRequestId', type: 'string' }, { name: 'ActivityId', type: 'guid' },
  { name: 'SubActivityId', type: 'guid' }, { name: 'ParentActivityId', type: 'guid' }, { name: 'Level', type: 'int' },
  { name: 'LevelName', type: 'string' }, { name: 'StatusCode', type: 'int' }, { name: 'StatusCodeName', type: 'string' },
  { name: 'EventType', type: 'int' }, { name: 'EventTypeName', type: 'string' }, { name: 'Payload', type: 'string' },
];

/** The QueryCompletionInformation rows: an info row (or the error), warnings, and resource consumption. */
export function completionTable(c: CompletionInfo): KustoTable {
  const now = JSON.stringify(formatDatetime(BigInt(Date.now()) * 10_000n));
  const row = (level: number, levelName: string, status: number, statusName: string, event: number, eventName: string, payload: string) =>
    `[${now},${JSON.stringify(c.clientRequestId)},${JSON.stringify(c.activityId)},${JSON.stringify(randomUUID())},${JSON.stringify(c.activityId)},${level},${JSON.stringify(levelName)},${status},${JSON.stringify(statusName)},${event},${JSON.stringify(eventName)},${JSON.stringify(payload)}]`;
  const rows: string[] = [];
  if (c.error) rows.push(row(2, 'Error', -2133196794, 'LimitsExceeded', 4, 'QueryInfo', jsonText(c.error)));
  else rows.push(row(4, 'Info', 0, 'S_OK (0)', 4, 'QueryInfo', jsonText({ Count: 1, Text: 'Query completed successfully' })));
  for (const w of c.warnings) rows.push(row(3, 'Warning', 0, 'S_OK (0)', 4, 'QueryInfo', jsonText({ Count: 1, Text: w })));
  const stats = { ExecutionTime: c.durationMs / 1000, dataset_statistics: c.rowCounts.map((n) => ({ table_row_count: n })) };
  rows.push(row(4, 'Info', 0, 'S_OK (0)', 5, 'QueryResourceConsumption', jsonText(stats)));
  return { name: 'QueryCompletionInformation', kind: 'QueryCompletionInformation', columns: COMPLETION_COLUMNS, rowsJson: '[' + rows.join(',') + ']' };
}

const columnsJson = (cs: KustoTable['columns']) => jsonText(cs.map((c) => ({ ColumnName: c.name, ColumnType: c.type })));

/** The whole v2 answer as JSON text. */
export function framesV2(tables: KustoTable[], opts: { progressive: boolean; error?: OneApiError }): string {
  const frames: string[] = [jsonText({ FrameType: 'DataSetHeader', IsProgressive: opts.progressive, Version: 'v2.0', IsFragmented: false, ErrorReportingPlacement: 'InData' })];
  tables.forEach((t, id) => {
    const head = `"TableId":${id},"TableKind":${JSON.stringify(t.kind)},"TableName":${JSON.stringify(t.name)},"Columns":${columnsJson(t.columns)}`;
    if (!opts.progressive || t.kind !== 'PrimaryResult') {
      frames.push(`{"FrameType":"DataTable",${head},"Rows":${t.rowsJson}}`);
      return;
    }
    frames.push(`{"FrameType":"TableHeader",${head}}`);
    frames.push(`{"FrameType":"TableFragment","TableFragmentType":"DataAppend","TableId":${id},"FieldCount":${t.columns.length},"Rows":${t.rowsJson}}`);
    frames.push(`{"FrameType":"TableProgress","TableId":${id},"TableProgress":100}`);
    frames.push(`{"FrameType":"TableCompletion","TableId":${id},"RowCount":${rowCount(t.rowsJson)}}`);
  });
  const completion: Record<string, unknown> = { FrameType: 'DataSetCompletion', HasErrors: !!opts.error, Cancelled: false };
  if (opts.error) completion['OneApiErrors'] = [opts.error];
  frames.push(jsonText(completion));
  return '[' + frames.join(',\n') + ']';
}

/** Rows in a rows-JSON text, counted from its top-level arrays (the text is ours: well formed). */
export function rowCount(rowsJson: string): number {
  let depth = 0, n = 0, inString = false;
  for (let i = 0; i < rowsJson.length; i++) {
    const ch = rowsJson.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91) {
      if (depth === 1) n++;
      depth++;
    } else if (ch === 93) depth--;
  }
  return n;
}
