/**
 * Results as Kusto's REST v1 answer: `{"Tables": [...]}`, each table with ColumnName/DataType/ColumnType.
 * A query answers its results, then @ExtendedProperties, QueryStatus and the TableOfContents that names
 * them (clients read the kinds from it); a management command answers its one table.
 */
import { randomUUID } from 'node:crypto';
import type { ScalarTypeName } from '../../engine/values/value.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import { DOTNET_TYPE, jsonText } from './kusto-json.js';

export interface V1Table {
  columns: { name: string; type: ScalarTypeName }[];
  rowsJson: string;
}

function tableJson(name: string, t: V1Table): string {
  const cols = jsonText(t.columns.map((c) => ({ ColumnName: c.name, DataType: DOTNET_TYPE[c.type], ColumnType: c.type })));
  return `{"TableName":${JSON.stringify(name)},"Columns":${cols},"Rows":${t.rowsJson}}`;
}

/** A management command's answer: one table. */
export function commandV1(t: V1Table): string {
  return `{"Tables":[${tableJson('Table_0', t)}]}`;
}

/** A query's answer with the tables clients expect after the results. */
export function queryV1(results: V1Table[], status: { clientRequestId: string; activityId: string; failure?: string }): string {
  const tables = results.map((t, i) => tableJson(`Table_${i}`, t));
  const props: V1Table = { columns: [{ name: 'Value', type: 'string' }], rowsJson: '[]' };
  tables.push(tableJson(`Table_${tables.length}`, props));
  const now = formatDatetime(BigInt(Date.now()) * 10_000n);
  const ok = !status.failure;
  const statusTable: V1Table = {
    columns: [
      { name: 'Timestamp', type: 'datetime' }, { name: 'Severity', type: 'int' }, { name: 'SeverityName', type: 'string' }, { name: 'StatusCode', type: 'int' },
      { name: 'StatusDescription', type: 'string' }, { name: 'Count', type: 'int' }, { name: 'RequestId', type: 'guid' }, { name: 'ActivityId', type: 'guid' },
      { name: 'SubActivityId', type: 'guid' }, { name: 'ClientActivityId', type: 'string' },
    ],
    rowsJson: jsonText([[now, ok ? 4 : 2, ok ? 'Info' : 'Error', ok ? 0 : -2133196794, ok ? 'Query completed successfully' : status.failure, 1, status.activityId, status.activityId, randomUUID(), status.clientRequestId]]),
  };
  tables.push(tableJson(`Table_${tables.length}`, statusTable));
  const kinds = [...results.map(() => ['QueryResult', 'PrimaryResult']), ['QueryProperties', '@ExtendedProperties'], ['QueryStatus', 'QueryStatus']];
  const toc: V1Table = {
    columns: [{ name: 'Ordinal', type: 'long' }, { name: 'Kind', type: 'string' }, { name: 'Name', type: 'string' }, { name: 'Id', type: 'string' }, { name: 'PrettyName', type: 'string' }],
    rowsJson: jsonText(kinds.map(([kind, name], i) => [i, kind, name, randomUUID(), ''])),
  };
  tables.push(tableJson(`Table_${tables.length}`, toc));
  return `{"Tables":[${tables.join(',')}]}`;
}
