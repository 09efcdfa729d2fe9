/**
 * Sentinel watchlists served from local CSV files (`kqlite watchlists add NAME FILE`): kept under the
 * workspace's `watchlists/`, they define `_GetWatchlist('NAME')` as a library function returning
 * Sentinel's fixed columns (_DTItemId, LastUpdatedTimeUTC, SearchKey, WatchlistItem) plus one string
 * column per CSV column, so rules that read a watchlist bind and run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type * as CsvParseSync from 'csv-parse/sync';
import { lazyPackage } from '../common/lazy-package.js';
import { isWindowsDeviceName, WINDOWS_DEVICE_NAMES } from '../common/file-names.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { LibraryFunctionDef } from '../kql/semantics/index.js';
import { kqlString } from './kql-text.js';

const csvParseSync = lazyPackage<typeof CsvParseSync>('csv-parse/sync');

export interface Watchlist { name: string; searchKey: string; columns: string[]; rows: string[][]; addedAt: string }

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const dir = (ws: string) => insideWorkspace(ws, 'watchlists');

/** Reads a CSV (header row first) into a watchlist; errors name the line. */
export function watchlistFromCsv(name: string, text: string, searchKey?: string): Watchlist {
  if (!NAME.test(name)) throw new Error(`'${name}' is not a watchlist name (letters, digits, '_', '.', '-')`);
  if (isWindowsDeviceName(name)) throw new Error(`'${name}' cannot be a watchlist name: Windows reserves it for a device (${WINDOWS_DEVICE_NAMES})`);
  let records: string[][];
  try {
    records = csvParseSync().parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new Error(`not a CSV file${err.lines ? ` (line ${err.lines})` : ''}: ${err.message.replace(/^Invalid Record Length: /, '')}`);
  }
  const [header, ...rows] = records;
  if (!header?.length) throw new Error('the CSV file is empty: it needs a header row naming the columns');
  const columns = header.map((h, i) => h.trim().replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || `Column${i + 1}`);
  const key = searchKey ?? columns[0]!;
  if (!columns.includes(key)) throw new Error(`--search-key '${key}' is not a column (${columns.join(', ')})`);
  return { name, searchKey: key, columns, rows, addedAt: new Date().toISOString() };
}

export function saveWatchlist(ws: string, w: Watchlist): void {
  mkdirSync(dir(ws), { recursive: true });
  // names differing only in case share a file on macOS and Windows: one watchlist would overwrite the other
  const clash = readdirSync(dir(ws)).find((n) => n !== `${w.name}.json` && n.toLowerCase() === `${w.name}.json`.toLowerCase());
  if (clash) throw new Error(`a watchlist named '${clash.replace(/\.json$/, '')}' exists already (names differing only in case would share a file): remove it first or use that name`);
  const f = insideWorkspace(ws, 'watchlists', `${w.name}.json`);
  writeFileSync(f + '.tmp', JSON.stringify(w));
  renameSync(f + '.tmp', f);
}

export function removeWatchlist(ws: string, name: string): boolean {
  if (!NAME.test(name)) return false;
  const f = insideWorkspace(ws, 'watchlists', `${name}.json`);
  if (!existsSync(f)) return false;
  unlinkSync(f);
  return true;
}

export function readWatchlists(ws: string): Watchlist[] {
  if (!existsSync(dir(ws))) return [];
  return readdirSync(dir(ws)).filter((f) => f.endsWith('.json')).sort().flatMap((f) => {
    try { return [JSON.parse(readFileSync(insideWorkspace(ws, 'watchlists', f), 'utf8')) as Watchlist]; } catch { return []; }
  });
}

export function watchlistsStamp(ws: string): string {
  return existsSync(dir(ws)) ? String(statSync(dir(ws)).mtimeMs) : '-';
}

const FIXED = ['_DTItemId:string', 'LastUpdatedTimeUTC:datetime', 'SearchKey:string', 'WatchlistItem:dynamic'];

function tableOf(w: Watchlist): string {
  const cols = [...FIXED, ...w.columns.filter((c) => !['_DTItemId', 'LastUpdatedTimeUTC', 'SearchKey', 'WatchlistItem'].includes(c)).map((c) => `${c}:string`)];
  const own = cols.slice(4).map((c) => c.split(':')[0]!);
  const keyAt = w.columns.indexOf(w.searchKey);
  const rows = w.rows.map((r, i) => {
    const item = JSON.stringify(Object.fromEntries(w.columns.map((c, k) => [c, r[k] ?? ''])));
    return [kqlString(`${w.name}-${i + 1}`), `datetime(${w.addedAt})`, kqlString(r[keyAt] ?? ''), `dynamic(${item})`, ...own.map((c) => kqlString(r[w.columns.indexOf(c)] ?? ''))].join(', ');
  });
  return `datatable(${cols.join(', ')})[${rows.length ? '\n' + rows.join(',\n') + '\n' : ''}] | where watchlistAlias == ${kqlString(w.name)}`;
}

/** `_GetWatchlist(watchlistAlias)` over the workspace's watchlists, or undefined when there are none. */
export function watchlistFunction(lists: readonly Watchlist[]): LibraryFunctionDef | undefined {
  if (!lists.length) return undefined;
  const body = lists.length === 1 ? tableOf(lists[0]!) : `union ${lists.map((w) => `(${tableOf(w)})`).join(',\n')}`;
  return { names: ['_GetWatchlist'], params: [{ name: 'watchlistAlias', type: 'string' }], body, origin: 'watchlists' };
}
