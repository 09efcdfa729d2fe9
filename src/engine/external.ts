/**
 * Where `externaldata` gets its bytes. The engine never reaches the network or the disk itself: the caller
 * passes an ExternalDataSource (src/ingest's fetches http/https URLs when the user allowed the network and
 * keeps a copy under the workspace, so a re-run works offline). Without one, externaldata fails with
 * KQL4020 naming the URL.
 */

/** Codes of externaldata's failures (the message always names the URL). */
export const EXTERNAL_DATA_CODES = {
  /** The network is not allowed and no copy of the URL is cached. */
  networkOff: 'KQL4020',
  /** The URL is not http/https, or the request failed (DNS, refused, HTTP status). */
  fetchFailed: 'KQL4021',
  /** The body (or its gunzipped text) passed the size cap. */
  tooLarge: 'KQL4022',
  /** The request passed the time cap. */
  tooSlow: 'KQL4023',
  /** The body is not in the declared format (bad JSON, an ingestion mapping that cannot be read). */
  badData: 'KQL4024',
} as const;

/** A URL as messages show it: without its query string, which often holds a secret (a SAS token). */
export function shownUrl(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? uri : `${uri.slice(0, q)}?...`;
}

export interface ExternalData {
  bytes: Uint8Array;
  /** Said to the user with the result (e.g. "network failed, used the copy cached at ..."). */
  warning?: string;
}

export interface ExternalDataSource {
  /**
   * The body at `uri` (fetched, or the cached copy keyed by URL + format). Throws a QueryError with one of
   * EXTERNAL_DATA_CODES, naming the URL, when it cannot.
   */
  read(uri: string, format: string): ExternalData;
  /** The most bytes a body may have once gunzipped (the same cap as the download). */
  readonly maxBytes: number;
}
