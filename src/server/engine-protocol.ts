/** Messages between the server and its engine worker threads (structured-clone safe). */
import type { HuntSummary } from '../hunts/index.js';
import type { ApiDiagnostic, QueryColumn } from './api.js';

export interface QueryJob {
  kind: 'query';
  query: string;
  /** now() in ticks since 1970, as a decimal string (bigint does not cross every boundary). */
  nowTicks: string;
  maxRows: number;
  timeoutMs: number;
  /** Values for `declare query_parameters` (Kusto REST `properties.Parameters`). */
  parameters?: Record<string, unknown>;
  /** Answer with rows as Kusto REST JSON text (exact longs) instead of the API's cells; v1 sends dynamics as text. */
  kustoRows?: { dynamicAsText: boolean };
}

export interface HuntJob {
  kind: 'hunt';
  /** Ids of the rules to run, already selected (and checked) by the route. */
  ruleIds: string[];
  /** The hunt's now() in ticks, as a decimal string; absent: the workspace's latest event. */
  asOfTicks?: string;
  actor: string;
  timeoutMs: number;
}

export type EngineJob = QueryJob | HuntJob;
export type EngineWorkerRequest = EngineJob & { seq: number };

export interface QueryResultMessage {
  kind: 'query';
  tables: { name: string; columns: QueryColumn[]; rows: unknown[][]; totalRows: number; truncated: boolean; rowsJson?: string }[];
  warnings: string[];
  diagnostics: ApiDiagnostic[];
  stats: { rowsScanned: number; durationMs: number };
}

export interface HuntResultMessage {
  kind: 'hunt';
  summary: HuntSummary;
}

/** Sent by a worker while a hunt runs: its run's id, so the pool can end the run if it has to stop the thread. */
export interface HuntStartedMessage {
  seq: number;
  started: number;
}

export type EngineWorkerReply =
  | ({ seq: number; ok: true } & (QueryResultMessage | HuntResultMessage))
  | { seq: number; ok: false; status: number; message: string; diagnostics?: ApiDiagnostic[]; /** Replace this worker (its heap is spent). */ recycle?: boolean };
