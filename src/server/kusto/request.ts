/**
 * A Kusto REST request as clients send it: `{db, csl, properties}` in a POST body (or the query string of a
 * GET), `properties` as an object or as its JSON text, holding `Options` (client request properties) and
 * `Parameters` (values for `declare query_parameters`). Only the properties kqlite acts on are read; the
 * rest are accepted and ignored, as Kusto ignores properties that do not apply.
 */
import { parseDatetimeText, parseTimespanText, parseTimespanUnitLiteral } from '../../kql/syntax/literals.js';
import { jsonNestsDeeper, MAX_NESTING } from '../../common/nesting.js';
import { KustoRequestError } from './kusto-errors.js';

export interface KustoRequest {
  db: string | undefined;
  csl: string;
  clientRequestId: string | undefined;
  options: Record<string, unknown>;
  parameters: Record<string, unknown>;
}

/** What the client asked of the run (already validated). */
export interface RunSettings {
  /** servertimeout, at most one hour. */
  timeoutMs: number;
  /** truncationmaxrecords, or Kusto's default of 500,000 records; undefined with notruncation. */
  maxRecords: number | undefined;
  /** query_now in ticks, when given. */
  nowTicks: bigint | undefined;
}

export const DEFAULT_TIMEOUT_MS = 4 * 60_000;
export const MAX_TIMEOUT_MS = 60 * 60_000;
export const DEFAULT_MAX_RECORDS = 500_000;

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') {
    if (!v.trim()) return {};
    try {
      return asObject(JSON.parse(v), what);
    } catch (e) {
      if (e instanceof KustoRequestError) throw e;
      throw new KustoRequestError(400, 'General_BadRequest', `'${what}' is not JSON: ${(e as Error).message}`);
    }
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw new KustoRequestError(400, 'General_BadRequest', `'${what}' must be an object`);
  return v as Record<string, unknown>;
}

/** Whether a parsed value nests more than `limit` arrays/objects (walked without recursion). */
function nestsDeeper(v: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (!x || typeof x !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(x)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** A client request id goes back out as a response header: printable ASCII only (a CR/LF would be a header injection). */
function requestId(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^[\x20-\x7e]*$/.test(v)) throw new KustoRequestError(400, 'General_BadRequest', 'the client request id (x-ms-client-request-id, ClientRequestId) must be printable ASCII');
  return v.slice(0, 256);
}

export function readRequest(body: unknown, query: Record<string, unknown>, headers: Record<string, string | string[] | undefined>): KustoRequest {
  const src = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : query;
  // values nested past what every later step (the copy to the engine's thread, formatting) handles are refused here
  const raw = src['properties'];
  if (typeof raw === 'string' ? jsonNestsDeeper(raw) : nestsDeeper(raw, MAX_NESTING)) throw new KustoRequestError(400, 'General_BadRequest', `'properties' nests more than ${MAX_NESTING} levels deep`);
  const csl = src['csl'];
  if (typeof csl !== 'string' || !csl.trim()) throw new KustoRequestError(400, 'General_BadRequest', "the request has no 'csl' (the query or command text)");
  const db = src['db'];
  if (db !== undefined && db !== null && typeof db !== 'string') throw new KustoRequestError(400, 'General_BadRequest', "'db' must be a string");
  const props = asObject(src['properties'], 'properties');
  const lower = Object.fromEntries(Object.entries(asObject(props['Options'] ?? props['options'], 'properties.Options')).map(([k, v]) => [k.toLowerCase(), v]));
  const header = headers['x-ms-client-request-id'];
  const crid = typeof header === 'string' ? header : typeof props['ClientRequestId'] === 'string' ? (props['ClientRequestId'] as string) : undefined;
  return { db: (db as string | undefined) ?? undefined, csl, clientRequestId: requestId(crid), options: lower, parameters: asObject(props['Parameters'] ?? props['parameters'], 'properties.Parameters') };
}

function flag(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** servertimeout as Kusto takes it: a timespan (`00:04:00`, `50m`, `1.00:00:00`) or milliseconds. */
function timeoutOf(v: unknown): number {
  if (v === undefined || v === null || v === '') return DEFAULT_TIMEOUT_MS;
  let ms: number | undefined;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'string') {
    const t = parseTimespanText(v) ?? parseTimespanUnitLiteral(v);
    if (t !== undefined) ms = Number(t / 10_000n);
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) throw new KustoRequestError(400, 'General_BadRequest', `servertimeout '${String(v)}' is not a positive timespan`);
  return Math.min(ms, MAX_TIMEOUT_MS);
}

export function runSettings(r: KustoRequest): RunSettings {
  const o = r.options;
  let maxRecords: number | undefined = DEFAULT_MAX_RECORDS;
  if (flag(o['notruncation'])) maxRecords = undefined;
  if (o['truncationmaxrecords'] !== undefined) {
    const n = Number(o['truncationmaxrecords']);
    if (!Number.isInteger(n) || n < 0) throw new KustoRequestError(400, 'General_BadRequest', `truncationmaxrecords '${String(o['truncationmaxrecords'])}' is not a record count`);
    maxRecords = n;
  }
  let nowTicks: bigint | undefined;
  if (o['query_now'] !== undefined && o['query_now'] !== '') {
    const text = String(o['query_now']);
    nowTicks = parseDatetimeText(text.replace(/^datetime\((.*)\)$/i, '$1'));
    if (nowTicks === undefined) throw new KustoRequestError(400, 'General_BadRequest', `query_now '${text}' is not a datetime`);
  }
  return { timeoutMs: timeoutOf(o['servertimeout']), maxRecords, nowTicks };
}
