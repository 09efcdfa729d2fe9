/**
 * Query results: one tab per result table, a typed grid with paging, and a line chart when one fits. A cell
 * too long for the grid (a command line, a JSON bag) is cut with an ellipsis and is a button: it opens the
 * whole value below the grid, wrapped, with Copy.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { QueryResponse } from '../../server/api.js';
import { LineChart } from '../components/line-chart.js';
import { CopyButton } from '../components/ui.js';
import { formatCell, formatCount, formatDuration, formatTime, isNumericType } from '../format.js';
import { chartSeries } from './chart-data.js';

const PAGE_SIZE = 100;
/** Characters past which a cell is cut in the grid (its CSS max-width shows about this many). */
const LONG_CELL = 60;
type ResultTable = QueryResponse['tables'][number];

export function Results({ result }: { result: QueryResponse }) {
  const [tab, setTab] = useState(0);
  useEffect(() => setTab(0), [result]);
  const table = result.tables[tab];
  return (
    <section class="results" aria-label="Query results" data-testid="query-results">
      <p class="stats" data-testid="query-stats">
        now() = {formatTime(result.asOf)} · {result.remote ? `answered by ${result.remote}` : `scanned ${formatCount(result.stats.rowsScanned)} rows`} in {formatDuration(result.stats.durationMs)}
      </p>
      {result.warnings.map((w, i) => <p key={i} class="note">{w}</p>)}
      {result.tables.length > 1 && (
        <div class="segmented" role="tablist" aria-label="Result tables">
          {result.tables.map((t, i) => (
            <button key={i} type="button" role="tab" class="seg" aria-selected={i === tab} aria-pressed={i === tab} onClick={() => setTab(i)}>{t.name}</button>
          ))}
        </div>
      )}
      {table ? <TableView key={`${tab}`} table={table} /> : <p class="muted">The query returned no table.</p>}
    </section>
  );
}

function TableView({ table }: { table: ResultTable }) {
  const [page, setPage] = useState(0);
  const [view, setView] = useState<'grid' | 'chart'>('grid');
  const [opened, setOpened] = useState<{ row: number; column: number } | undefined>(undefined);
  const series = useMemo(() => chartSeries(table.columns, table.rows), [table]);
  const pages = Math.max(1, Math.ceil(table.rows.length / PAGE_SIZE));
  const from = page * PAGE_SIZE;
  const rows = table.rows.slice(from, from + PAGE_SIZE);
  return (
    <div class="result-table">
      <div class="result-head">
        <span data-testid="result-rowcount">
          {formatCount(table.totalRows)} row{table.totalRows === 1 ? '' : 's'}
          {table.truncated && <span class="warn-text"> (showing the first {formatCount(table.rows.length)})</span>}
        </span>
        {series && (
          <div class="segmented" role="group" aria-label="Result view">
            <button type="button" class="seg" aria-pressed={view === 'grid'} onClick={() => setView('grid')} data-testid="view-grid">Table</button>
            <button type="button" class="seg" aria-pressed={view === 'chart'} onClick={() => setView('chart')} data-testid="view-chart">Chart</button>
          </div>
        )}
        {view === 'grid' && pages > 1 && (
          <nav class="pager" aria-label="Result pages">
            <button type="button" class="btn btn-small" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="page-prev">Previous</button>
            <span>rows {formatCount(from + 1)}–{formatCount(from + rows.length)} · page {page + 1} of {pages}</span>
            <button type="button" class="btn btn-small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} data-testid="page-next">Next</button>
          </nav>
        )}
      </div>
      {view === 'chart' && series ? (
        <LineChart series={series} label={`${table.name}: ${series.map((s) => s.name).join(', ')} over time`} testid="result-chart" />
      ) : (
        <div class="table-wrap result-grid-wrap">
          <table class="grid compact result-grid" data-testid="result-grid">
            <thead>
              <tr>{table.columns.map((c) => <th key={c.name} scope="col" class={isNumericType(c.type) ? 'num' : ''}>{c.name} <span class="col-type">{c.type}</span></th>)}</tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={from + i} data-testid="result-row">
                  {table.columns.map((c, j) => {
                    const text = formatCell(r[j], c.type);
                    const cls = isNumericType(c.type) ? 'num' : c.type === 'dynamic' ? 'dyn' : '';
                    if (text.length <= LONG_CELL) return <td key={j} class={cls}>{text}</td>;
                    const isOpen = opened?.row === from + i && opened.column === j;
                    return (
                      <td key={j} class={`${cls} long-cell`}>
                        <button type="button" class="cell-open" aria-expanded={isOpen} aria-controls="cell-value" data-testid="cell-open"
                          aria-label={`${c.name}, row ${from + i + 1}: ${formatCount(text.length)} characters; show the whole value`}
                          onClick={() => setOpened(isOpen ? undefined : { row: from + i, column: j })}>{text}</button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view === 'grid' && opened && table.rows[opened.row] && (
        <CellValue column={table.columns[opened.column]!.name} row={opened.row} text={formatCell(table.rows[opened.row]![opened.column], table.columns[opened.column]!.type)} onClose={() => setOpened(undefined)} />
      )}
    </div>
  );
}

/** One cell's whole value, wrapped (a 4,000-character command line reads here, not in a tooltip). */
function CellValue({ column, row, text, onClose }: { column: string; row: number; text: string; onClose: () => void }) {
  return (
    <section id="cell-value" class="cell-value" aria-label={`${column}, row ${row + 1}`} data-testid="cell-value">
      <header class="cell-value-head">
        <strong>{column}</strong> <span class="muted small">row {formatCount(row + 1)} · {formatCount(text.length)} characters</span>
        <span class="cell-value-actions">
          <CopyButton text={text} testid="cell-copy" />
          <button type="button" class="btn btn-small" onClick={onClose} data-testid="cell-close">Close</button>
        </span>
      </header>
      <pre class="code cell-value-text" data-testid="cell-value-text" tabIndex={0}>{text}</pre>
    </section>
  );
}
