/**
 * Queries on a Log Analytics workspace (Microsoft Sentinel's data) through the Azure Monitor Logs query
 * API: `POST {endpoint}/v1/workspaces/{id}/query` with `{query, timespan}`, answered as `{tables: [{name,
 * columns: [{name, type}], rows}], error?}`. A partial error (200 with `error`) is a warning, or the row
 * cap (500,000) when it says so; `now()` is written into the query (bind-now.ts).
 */
import { formatDatetime } from '../engine/values/ticks.js';
import { ApiEngine, type ApiAnswer } from './api-engine.js';
import { tokenSource } from './credentials.js';
import { toResultTable } from './remote-table.js';
import { RemoteError, type RemoteSpec } from './remote-types.js';
import type { Window } from './windows.js';

const DEFAULT_ENDPOINT = 'https://api.loganalytics.azure.com';
const SCOPE = 'https://api.loganalytics.io/.default';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface LaAnswer {
  tables?: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
  error?: { code?: string; message?: string; details?: { code?: string; message?: string; innererror?: { code?: string; message?: string } }[] };
}

/** A Log Analytics answer (as the API documents it) in engine tables, with whether the row cap cut it. */
export function readLogAnalyticsAnswer(body: unknown, rowCap: number): ApiAnswer {
  const a = body as LaAnswer;
  if (!a || !Array.isArray(a.tables)) throw new RemoteError('the Log Analytics answer has no tables');
  const tables = a.tables.map((t) => toResultTable(t.name, t.columns, t.rows));
  const warnings: string[] = [];
  let capped = tables.some((t) => t.table.length >= rowCap);
  if (a.error) {
    const text = [a.error.message, ...(a.error.details ?? []).map((d) => `${d.code ?? ''} ${d.message ?? ''} ${d.innererror?.code ?? ''} ${d.innererror?.message ?? ''}`)].join(' ');
    if (/E_QUERY_RESULT_SET_TOO_LARGE|exceeded.*(limit|records)|result.*truncat/i.test(text)) capped = true;
    else warnings.push(`partial error: ${a.error.code ?? ''} ${a.error.message ?? ''}`.trim());
  }
  return { tables, capped, warnings };
}

export class LogAnalyticsEngine extends ApiEngine {
  readonly label: string;
  protected readonly rowCap = 500_000;
  protected readonly timeColumn = 'TimeGenerated';
  private readonly url: string;

  constructor(spec: RemoteSpec) {
    super(tokenSource(spec.auth));
    if (!spec.workspaceId || !GUID.test(spec.workspaceId)) throw new RemoteError(`--log-analytics takes the workspace id (a GUID), not '${spec.workspaceId ?? ''}'`);
    const base = (spec.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.url = `${base}/v1/workspaces/${spec.workspaceId}/query`;
    this.label = `log-analytics ${spec.workspaceId}`;
  }

  protected async ask(text: string, w: Window, timeoutMs: number): Promise<ApiAnswer> {
    const body = await this.post(this.url, SCOPE, { query: text, timespan: `${formatDatetime(w.start)}/${formatDatetime(w.end)}` }, timeoutMs);
    return readLogAnalyticsAnswer(body, this.rowCap);
  }
}
