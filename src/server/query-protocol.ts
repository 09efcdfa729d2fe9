/** Messages between the server and its query worker threads (structured-clone safe). */
import type { ApiDiagnostic, QueryColumn } from './api.js';

export interface QueryWorkerRequest {
  seq: number;
  query: string;
  /** now() in ticks since 1970, as a decimal string (bigint does not cross every boundary). */
  nowTicks: string;
  maxRows: number;
  timeoutMs: number;
}

export type QueryWorkerReply =
  | {
      seq: number;
      ok: true;
      tables: { name: string; columns: QueryColumn[]; rows: unknown[][]; totalRows: number; truncated: boolean }[];
      warnings: string[];
      diagnostics: ApiDiagnostic[];
      stats: { rowsScanned: number; durationMs: number };
    }
  | { seq: number; ok: false; status: number; message: string; diagnostics?: ApiDiagnostic[] };
