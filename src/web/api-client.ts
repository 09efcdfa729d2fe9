/**
 * The browser side of the JSON API (src/server/api.ts): one `request` that adds the bearer token, decodes
 * JSON and turns every non-2xx answer into an `ApiRequestError` carrying the server's message and any KQL
 * diagnostics; plus one small typed function per route, so pages never spell URLs or methods themselves.
 */
import type {
  AllowRequest, ApiDiagnostic, ChangesResponse, ApiError, CancelResponse, CoverageResponse, FindingDetail, FindingSummary,
  DataResponse, FindingsResponse, HuntRequest, HuntResponse, HuntsResponse, InventoryResponse, QueryRequest, QueryResponse, RuleDetail,
  RemotesResponse, RulesResponse, SchemaResponse, StatusResponse, Suppression, TimelineResponse, TriageRequest,
} from '../server/api.js';
import { getToken, notifyUnauthorized } from './token.js';

export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string, readonly diagnostics: ApiDiagnostic[] = []) {
    super(message);
  }
}

/** A request that reached no server (status 0): the shell says so once, rather than every panel on the page. */
export const isUnreachable = (e: unknown): boolean => e instanceof ApiRequestError && e.status === 0;

type ReachListener = (reachable: boolean) => void;
const reachListeners = new Set<ReachListener>();
const retryListeners = new Set<() => void>();
let lastReachable = true;
function setReachable(reachable: boolean): void {
  if (reachable === lastReachable) return;
  lastReachable = reachable;
  for (const l of reachListeners) l(reachable);
}
/** Called whenever the server stops or starts answering. */
export function onReachability(listener: ReachListener): () => void {
  reachListeners.add(listener);
  return () => reachListeners.delete(listener);
}
/** Every load that failed because the server did not answer tries again (the shell's Retry). */
export function retryUnreachable(): void {
  for (const l of retryListeners) l();
}
export function onRetry(listener: () => void): () => void {
  retryListeners.add(listener);
  return () => retryListeners.delete(listener);
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    setReachable(false);
    throw new ApiRequestError(0, `The server did not answer (${(e as Error).message}). Is kqlite serve still running?`);
  }
  setReachable(true);
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) notifyUnauthorized();
    const err = (data as ApiError | undefined)?.error;
    throw new ApiRequestError(res.status, err?.message ?? `${method} ${path}: HTTP ${res.status}`, err?.diagnostics ?? []);
  }
  return data as T;
}

/** A query string from the set (non-empty) values; repeated keys for arrays. */
export function queryString(params: Record<string, string | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined && item !== '') q.append(k, item);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export const api = {
  status: () => request<StatusResponse>('GET', '/api/status'),
  rules: (params: Record<string, string | string[] | undefined>) => request<RulesResponse>('GET', `/api/rules${queryString(params)}`),
  rule: (id: string) => request<RuleDetail>('GET', `/api/rules/${enc(id)}`),
  changes: (params: { since?: string; source?: string }) => request<ChangesResponse>('GET', `/api/changes${queryString(params)}`),
  hunt: (req: HuntRequest) => request<HuntResponse>('POST', '/api/hunts', req),
  runs: () => request<HuntsResponse>('GET', '/api/hunts'),
  run: (id: number) => request<HuntResponse>('GET', `/api/hunts/${id}`),
  findings: (params: Record<string, string | string[] | undefined>) => request<FindingsResponse>('GET', `/api/findings${queryString(params)}`),
  finding: (id: string) => request<FindingDetail>('GET', `/api/findings/${enc(id)}`),
  triage: (id: string, req: TriageRequest) => request<FindingSummary>('PATCH', `/api/findings/${enc(id)}`, req),
  timeline: (subject: { device?: string; tool?: string }) => request<TimelineResponse>('GET', `/api/timeline${queryString(subject)}`),
  coverage: () => request<CoverageResponse>('GET', '/api/coverage'),
  navigatorLayer: () => request<unknown>('GET', '/api/coverage/navigator'),
  inventory: () => request<InventoryResponse>('GET', '/api/inventory'),
  data: (params: { table?: string; limit?: string }) => request<DataResponse>('GET', `/api/data${queryString(params)}`),
  allow: (req: AllowRequest) => request<Suppression>('POST', '/api/suppressions', req),
  revoke: (id: number) => request<Suppression>('DELETE', `/api/suppressions/${id}`),
  schema: () => request<SchemaResponse>('GET', '/api/schema'),
  /**
   * The database schema as Kusto answers `.show database D schema as json` (the server's Kusto endpoint,
   * database 'kqlite'): the shape monaco-kusto's language service takes as is.
   */
  kustoDatabaseSchema: async (): Promise<unknown> => {
    const r = await request<{ Tables: { Rows: string[][] }[] }>('POST', '/v1/rest/mgmt', { db: 'kqlite', csl: '.show database kqlite schema as json' });
    return JSON.parse(r.Tables[0]!.Rows[0]![0]!) as unknown;
  },
  query: (req: QueryRequest, signal?: AbortSignal) => request<QueryResponse>('POST', '/api/query', req, signal),
  remotes: () => request<RemotesResponse>('GET', '/api/remotes'),
  cancelQuery: (clientId: string) => request<CancelResponse>('POST', `/api/query/${enc(clientId)}/cancel`, {}),
};
