/**
 * The part the Log Analytics and Defender engines share: POST a query as JSON with a bearer token, read the
 * answer with exact longs, bind now() into the text (bind-now.ts: neither API takes query_now), and when
 * the API's row cap cut the answer, ask again over halves of the time window (windows.ts) or say why not.
 */
import { concatColumns } from '../engine/storage/builders.js';
import type { Column } from '../engine/storage/column.js';
import { formatDatetime } from '../engine/values/ticks.js';
import type { ResultTable } from '../engine/index.js';
import { bindNow } from './bind-now.js';
import { parseExactJson } from './exact-json.js';
import { RemoteError, type RemoteEngine, type RemoteQueryOptions, type RemoteQueryResult } from './remote-types.js';
import { halves, windowedQuery, windowSource, type Window } from './windows.js';
import type { TokenSource } from './credentials.js';

export interface ApiAnswer {
  tables: ResultTable[];
  /** The API cut the rows at its cap. */
  capped: boolean;
  warnings: string[];
}

const DAY = 864_000_000_000n;
/** Halvings of a capped window before giving up (2^8 windows). */
const MAX_SPLITS = 8;

export abstract class ApiEngine implements RemoteEngine {
  abstract readonly label: string;
  /** The rows the API returns at most. */
  protected abstract readonly rowCap: number;
  /** The time column of the tables this API serves (TimeGenerated, Timestamp). */
  protected abstract readonly timeColumn: string;

  constructor(protected readonly tokens: TokenSource, protected readonly lookbackDays = 30) {}

  /** One request: the query over `window` (the API's own time range parameter), read into tables. */
  protected abstract ask(text: string, window: Window, timeoutMs: number): Promise<ApiAnswer>;

  protected async post(url: string, scope: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const token = await this.tokens(scope);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST', signal: AbortSignal.timeout(timeoutMs),
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') throw new RemoteError(`${this.label}: no answer within ${timeoutMs} ms`);
      throw new RemoteError(`${this.label}: cannot reach ${new URL(url).origin}: ${err.cause?.code ?? err.message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? parseExactJson(text) : undefined;
    } catch {
      throw new RemoteError(`${this.label}: HTTP ${res.status}, and the answer is not JSON: ${text.slice(0, 200)}`, res.status);
    }
    if (!res.ok) {
      const e = (json as { error?: { message?: string; code?: string; innererror?: { code?: string; message?: string } } } | undefined)?.error;
      const code = e?.code ? `${e.code}${e.innererror?.code ? ` (${e.innererror.code})` : ''}: ` : '';
      const why = e ? `${code}${e.innererror?.message ?? e.message ?? ''}` : text.slice(0, 200);
      const hint = res.status === 401 || res.status === 403 ? ' (check --auth and the identity\'s permissions)' : res.status === 429 ? ' (throttled: try again later)' : '';
      throw new RemoteError(`${this.label}: HTTP ${res.status}: ${why}${hint}`, res.status);
    }
    return json;
  }

  async query(text: string, opts: RemoteQueryOptions = {}): Promise<RemoteQueryResult> {
    const started = Date.now();
    const now = opts.now ?? BigInt(Date.now()) * 10_000n;
    const bound = bindNow(text, now);
    const warnings: string[] = [];
    if (bound.skipped && /\b(now|ago)\s*\(/i.test(text)) warnings.push(`now() is the service's clock here: ${bound.skipped}`);
    const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
    const whole: Window = { start: now - BigInt(this.lookbackDays) * DAY, end: now + 1n };
    const first = await this.ask(bound.text, whole, timeoutMs);
    warnings.push(...first.warnings);
    if (!first.capped) return { tables: first.tables, warnings, durationMs: Date.now() - started };
    const source = windowSource(bound.text);
    if (typeof source === 'string') {
      throw new RemoteError(`${this.label}: the answer reached the API's cap of ${this.rowCap.toLocaleString('en-US')} rows and was cut; kqlite cannot ask again over smaller time windows because ${source}: narrow the query (a shorter time range, fewer rows per group)`);
    }
    const parts: ResultTable[] = [];
    const run = async (w: Window, depth: number): Promise<void> => {
      const a = await this.ask(windowedQuery(bound.text, source, this.timeColumn, w), w, timeoutMs);
      if (!a.capped) {
        parts.push(a.tables[0]!);
        return;
      }
      if (depth >= MAX_SPLITS) throw new RemoteError(`${this.label}: even ${formatDatetime(w.start)} to ${formatDatetime(w.end)} holds more than ${this.rowCap} rows; narrow the query`);
      for (const h of halves(w)) await run(h, depth + 1);
    };
    await run(whole, 0);
    warnings.push(`the API's cap of ${this.rowCap} rows was reached; the answer was assembled from ${parts.length} time windows`);
    return { tables: [concatResults(parts)], warnings, durationMs: Date.now() - started };
  }

  close(): void {}
}

/** Result tables of one query over several windows, one after the other (same columns). */
function concatResults(parts: ResultTable[]): ResultTable {
  const first = parts[0]!;
  const length = parts.reduce((n, p) => n + p.table.length, 0);
  const columns = first.columns.map((c, i) => ({ name: c.name, column: concat(parts.map((p) => p.table.columns[i]!.column)) }));
  return { ...first, table: { columns, length }, totalRows: length };
}

function concat(cols: Column[]): Column {
  return concatColumns(cols[0]!.type, cols);
}
