/**
 * The vocabulary of remote engines: where a query runs when the data lives in Azure Data Explorer, a
 * Log Analytics (Sentinel) workspace or Defender XDR, how kqlite signs in there, and what comes back.
 */
import type { ResultTable } from '../engine/index.js';

export const REMOTE_KINDS = ['kusto', 'log-analytics', 'defender'] as const;
export type RemoteKind = (typeof REMOTE_KINDS)[number];

export const AUTH_METHODS = ['default', 'azure-cli', 'device-code', 'managed-identity', 'client-secret', 'client-certificate', 'token', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** How to sign in. Secrets are never stored: a client secret or token is read from the named environment variable. */
export interface AuthSpec {
  method: AuthMethod;
  tenant?: string;
  clientId?: string;
  /** client-secret: the environment variable holding the secret. */
  secretEnv?: string;
  /** client-certificate: a PEM file with the certificate and its private key. */
  certificatePath?: string;
  /** token: the environment variable holding a bearer token (e.g. a kqlite server's token). */
  tokenEnv?: string;
}

export interface RemoteSpec {
  kind: RemoteKind;
  /** kusto: the cluster URL (https://x.region.kusto.windows.net, or a kqlite server's address). */
  cluster?: string;
  database?: string;
  /** log-analytics: the workspace id (a GUID). */
  workspaceId?: string;
  /** The API's base URL when not the public cloud's (sovereign clouds, a proxy, test fixtures). */
  endpoint?: string;
  auth: AuthSpec;
}

export interface RemoteQueryOptions {
  /** now() for the query, in ticks since 1970; bound on the engine where it allows, else written into the query. */
  now?: bigint;
  timeoutMs?: number;
  maxRows?: number;
}

export interface RemoteQueryResult {
  tables: ResultTable[];
  warnings: string[];
  durationMs: number;
}

/** A place queries run. */
export interface RemoteEngine {
  /** e.g. `kusto https://help.kusto.windows.net/Samples`: named on hunt runs and in messages. */
  readonly label: string;
  query(text: string, opts?: RemoteQueryOptions): Promise<RemoteQueryResult>;
  /**
   * The tables there, where the engine lists them cheaply (Kusto's `.show tables`): a hunt skips rules whose
   * tables are missing, as it does locally. Elsewhere a missing table shows as the rule's failure.
   */
  tableNames?(): Promise<string[]>;
  close(): void;
}

/** A failure the remote reported, or reaching it failed; the message says which and what to do. */
export class RemoteError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}
