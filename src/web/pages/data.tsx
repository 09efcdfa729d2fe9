/**
 * Data (/data): what the workspace holds — each table's rows, extents, time range and size — and the records
 * ingest set aside (quarantine), with where each was in its file and why, filterable by table. Loading more
 * data is `kqlite ingest`; this page is for checking what arrived and what did not.
 */
import type { DataTable, QuarantineRecord } from '../../server/api.js';
import { api } from '../api-client.js';
import { setQuery, useLocation } from '../router.js';
import { useApi } from '../use-api.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { formatBytes, formatCount, formatTime, plural } from '../format.js';
import { useTitle } from '../title.js';
import { useCellLabels } from '../components/stack-table.js';

export function DataPage() {
  useTitle('Data');
  const { query } = useLocation();
  const table = query.get('table') ?? undefined;
  const data = useApi(() => api.data({ ...(table ? { table } : {}) }), [table]);
  if (data.error) return <div class="page"><ErrorBox error={data.error} retry={data.reload} /></div>;
  if (!data.data) return <div class="page"><Loading what="workspace tables" /></div>;
  const { tables, quarantine } = data.data;
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const setAside = tables.reduce((n, t) => n + t.quarantined, 0);
  return (
    <div class="page data">
      <div class="page-head"><h1>Data</h1></div>
      <p class="summary">{plural(tables.length, 'table')}, {plural(rows, 'row')}; {plural(setAside, 'record')} set aside at ingest. Add more with <code>kqlite ingest FILES</code>.</p>
      <TablesGrid tables={tables} />
      <h2 class="section-title">Quarantine</h2>
      <div class="segmented" role="group" aria-label="Filter by table">
        <button type="button" class="seg" aria-pressed={!table} onClick={() => setQuery({})}>all</button>
        {tables.filter((t) => t.quarantined > 0).map((t) => (
          <button key={t.name} type="button" class="seg" aria-pressed={table === t.name} onClick={() => setQuery({ table: t.name })} data-testid={`quarantine-table-${t.name}`}>{t.name} {formatCount(t.quarantined)}</button>
        ))}
      </div>
      <QuarantineGrid records={quarantine.records} total={quarantine.total} />
    </div>
  );
}

function TablesGrid({ tables }: { tables: DataTable[] }) {
  const ref = useCellLabels<HTMLTableElement>();
  if (tables.length === 0) return <p class="muted">No tables yet: run <code>kqlite demo</code> or <code>kqlite ingest FILES</code>.</p>;
  return (
    <div class="table-wrap">
      <table class="grid stack" data-testid="data-tables" ref={ref}>
        <caption class="visually-hidden">Workspace tables</caption>
        <thead>
          <tr>
            <th scope="col">Table</th><th scope="col" class="num">Rows</th><th scope="col" class="num">Extents</th>
            <th scope="col">From</th><th scope="col">To</th><th scope="col" class="num">On disk</th><th scope="col" class="num">Quarantined</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => (
            <tr key={t.name}>
              <th scope="row">{t.name}</th><td class="num">{formatCount(t.rows)}</td><td class="num">{formatCount(t.extents)}</td>
              <td>{formatTime(t.minTime)}</td><td>{formatTime(t.maxTime)}</td><td class="num">{formatBytes(t.bytesOnDisk)}</td><td class="num">{formatCount(t.quarantined)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QuarantineGrid({ records, total }: { records: QuarantineRecord[]; total: number }) {
  const ref = useCellLabels<HTMLTableElement>();
  if (total === 0) return <p class="muted" data-testid="quarantine-empty">Nothing was set aside.</p>;
  return (
    <>
      <div class="table-wrap">
        <table class="grid stack" data-testid="quarantine-records" ref={ref}>
          <caption class="visually-hidden">Records set aside at ingest</caption>
          <thead>
            <tr><th scope="col">File</th><th scope="col">Where</th><th scope="col">Table</th><th scope="col">Reason</th><th scope="col">Record</th></tr>
          </thead>
          <tbody>
            {records.map((r, i) => (
              <tr key={i}>
                <td title={r.file}>{r.file.split(/[\\/]/).pop()}</td><td>{where(r)}</td><td>{r.table ?? ''}</td><td>{r.reason}</td>
                <td><code class="raw" title={r.raw}>{r.raw ? r.raw.slice(0, 160) : ''}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {records.length < total && <p class="muted">Showing {formatCount(records.length)} of {formatCount(total)}; <code>kqlite quarantine --limit 0</code> lists them all.</p>}
    </>
  );
}

function where(r: QuarantineRecord): string {
  if (r.line !== undefined) return `line ${r.line}`;
  if (r.offset !== undefined) return `record ${r.offset}`;
  if (r.byte !== undefined) return `byte ${r.byte}`;
  return '';
}
