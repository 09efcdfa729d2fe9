/**
 * Queries on a Kusto engine (Azure Data Explorer, or another kqlite server) through Microsoft's SDK,
 * azure-kusto-data: v2 query frames read into engine tables with longs exact (the SDK's transport is told to
 * parse JSON with parseExactJson), `now()` bound by the `query_now` request property, the server timeout
 * and record limit passed as request properties, management commands for table lists and exports.
 */
import type * as KustoData from 'azure-kusto-data';
import type { Client, ClientRequestProperties } from 'azure-kusto-data';
import { lazyPackage } from '../common/lazy-package.js';
import { formatDatetime } from '../engine/values/ticks.js';
import type { ResultTable } from '../engine/index.js';
import { tokenSource } from './credentials.js';
import { parseExactJson } from './exact-json.js';
import { toResultTable } from './remote-table.js';
import { RemoteError, type RemoteEngine, type RemoteQueryOptions, type RemoteQueryResult, type RemoteSpec } from './remote-types.js';

/** The Kusto client (1-4 s to load with its Azure packages), loaded when a remote is first used. */
const kustoData = lazyPackage<typeof KustoData>('azure-kusto-data');

interface Frame {
  FrameType?: string;
  TableKind?: string;
  TableName?: string;
  Columns?: { ColumnName: string; ColumnType?: string; DataType?: string }[];
  Rows?: unknown[];
  HasErrors?: boolean;
  OneApiErrors?: unknown[];
}

/** The message of a OneApiErrors body (or anything else an error carries). */
export function kustoErrorMessage(body: unknown): string | undefined {
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!e) return undefined;
  const inner = e['innererror'] as Record<string, unknown> | undefined;
  return String(e['@message'] ?? inner?.['message'] ?? e['message'] ?? 'unknown error');
}

export class KustoEngine implements RemoteEngine {
  readonly label: string;
  private readonly client: Client;
  private readonly database: string;

  constructor(spec: RemoteSpec) {
    if (!spec.cluster) throw new RemoteError('a Kusto remote needs --cluster URL');
    if (!spec.database) throw new RemoteError('a Kusto remote needs --database NAME');
    let url: URL;
    try {
      url = new URL(spec.cluster);
    } catch {
      throw new RemoteError(`--cluster '${spec.cluster}' is not a URL (e.g. https://mycluster.westeurope.kusto.windows.net)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RemoteError(`--cluster must be an http(s) URL, not '${spec.cluster}'`);
    const cluster = url.origin;
    this.database = spec.database;
    this.label = `kusto ${cluster}/${spec.database}`;
    const tokens = tokenSource(spec.auth);
    const { Client, KustoConnectionStringBuilder } = kustoData();
    const kcsb = spec.auth.method === 'none'
      ? new KustoConnectionStringBuilder(cluster)
      : KustoConnectionStringBuilder.withTokenProvider(cluster, async () => (await tokens(`${cluster}/.default`)) ?? '');
    this.client = new Client(kcsb);
    // JSON numbers cannot hold a long: read the answer's text ourselves
    this.client.axiosInstance.defaults.responseType = 'text';
    this.client.axiosInstance.defaults.transformResponse = [(data: unknown) => (typeof data === 'string' && data.length ? parseExactJson(data) : data)];
  }

  private async execute(csl: string, props: ClientRequestProperties): Promise<unknown> {
    props.raw = true;
    try {
      return await this.client.execute(this.database, csl, props);
    } catch (e) {
      const err = e as Error & { response?: { status?: number; data?: unknown }; code?: string };
      const why = kustoErrorMessage(err.response?.data);
      if (why) throw new RemoteError(`${this.label}: ${why}`, err.response?.status);
      if (err.response?.status === 401 || err.response?.status === 403) throw new RemoteError(`${this.label}: not signed in or not allowed (HTTP ${err.response.status}): check --auth and the identity's database role`, err.response.status);
      throw new RemoteError(`${this.label}: ${err.code === 'ECONNREFUSED' ? 'nothing answers at this address' : err.message}`, err.response?.status);
    }
  }

  async query(text: string, opts: RemoteQueryOptions = {}): Promise<RemoteQueryResult> {
    const started = Date.now();
    const props = new (kustoData().ClientRequestProperties)();
    if (opts.now !== undefined) props.setOption('query_now', formatDatetime(opts.now));
    if (opts.timeoutMs) props.setTimeout(opts.timeoutMs);
    if (opts.maxRows !== undefined) props.setOption('truncationmaxrecords', opts.maxRows);
    const frames = await this.execute(text, props);
    if (!Array.isArray(frames)) throw new RemoteError(`${this.label}: the answer is not a v2 frame list`);
    const tables: ResultTable[] = [];
    const warnings: string[] = [];
    for (const f of frames as Frame[]) {
      if (f.FrameType === 'DataTable' && f.TableKind === 'PrimaryResult') {
        tables.push(toResultTable(tables.length ? `Table_${tables.length}` : 'PrimaryResult', (f.Columns ?? []).map((c) => ({ name: c.ColumnName, type: c.ColumnType ?? c.DataType ?? 'dynamic' })), f.Rows ?? []));
      }
      if (f.FrameType === 'DataSetCompletion' && f.HasErrors) {
        const msg = (f.OneApiErrors ?? []).map(kustoErrorMessage).filter(Boolean).join('; ') || 'the query failed part way';
        throw new RemoteError(`${this.label}: ${msg}`);
      }
    }
    return { tables, warnings, durationMs: Date.now() - started };
  }

  /** A management command's first table (v1), as engine tables. */
  async command(csl: string): Promise<ResultTable> {
    const body = (await this.execute(csl, new (kustoData().ClientRequestProperties)())) as { Tables?: { TableName: string; Columns: { ColumnName: string; ColumnType?: string; DataType?: string }[]; Rows: unknown[] }[] };
    const t = body?.Tables?.[0];
    if (!t) throw new RemoteError(`${this.label}: '${csl.slice(0, 60)}' answered no table`);
    return toResultTable(t.TableName, t.Columns.map((c) => ({ name: c.ColumnName, type: c.ColumnType ?? c.DataType ?? 'string' })), t.Rows);
  }

  async tableNames(): Promise<string[]> {
    const t = await this.command('.show tables');
    const col = t.table.columns.find((c) => c.name === 'TableName');
    if (!col || col.column.type !== 'string') return [];
    const { dict, codes } = col.column;
    return Array.from(codes, (c) => dict[c]!);
  }

  close(): void {
    this.client.close();
  }
}
