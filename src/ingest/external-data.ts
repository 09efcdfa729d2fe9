/**
 * externaldata's bytes (the engine's ExternalDataSource): http/https URLs only (never file: or anything
 * that could read the machine), fetched only when the network is allowed, from public addresses only unless
 * private ones are allowed too (sync-fetch.ts), each download capped in size
 * and time, and a copy kept under the workspace in `external/` (keyed by URL + format) so a re-run works
 * offline: with the network off the copy is used; with it on, a failed download falls back to the copy
 * with a warning. Every failure is a QueryError naming the URL (its query string, often a secret, left out).
 */
import type * as Crypto from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { lazyPackage } from '../common/lazy-package.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import { EXTERNAL_DATA_CODES, shownUrl, type ExternalData, type ExternalDataSource } from '../engine/index.js';
import { QueryError } from '../engine/values/value.js';
import { fetchSync } from './sync-fetch.js';
import { DEFAULT_EXTERNAL_DATA, readWorkspaceConfig, type ExternalDataConfig } from './workspace-config.js';

/** node:crypto when a download is first keyed: a query that reads no externaldata never loads it. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');

export const EXTERNAL_DIR = 'external';

export interface ExternalDataOptions extends Partial<ExternalDataConfig> {
  /** Where the cache lives; without a workspace nothing is cached. */
  workspaceDir?: string;
  /**
   * Copies cached in the workspace only, never the network, whatever allowNetwork says; the text says why
   * in the error when there is no copy (hunts give this for rules synced from git sources).
   */
  cacheOnly?: string;
}

export function externalDataSource(opts: ExternalDataOptions): ExternalDataSource {
  const allowNetwork = opts.allowNetwork ?? DEFAULT_EXTERNAL_DATA.allowNetwork;
  const maxBytes = opts.maxBytes ?? DEFAULT_EXTERNAL_DATA.maxBytes;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXTERNAL_DATA.timeoutMs;
  const allowPrivate = opts.allowPrivateNetwork ?? DEFAULT_EXTERNAL_DATA.allowPrivateNetwork;
  // one download per URL and format for the life of this source (a query, or every rule of a hunt)
  const fetched = new Map<string, ExternalData>();
  const cacheFile = (key: string) => (opts.workspaceDir ? insideWorkspace(opts.workspaceDir, EXTERNAL_DIR, `${key}.bin`) : undefined);
  const readCache = (key: string): Uint8Array | undefined => {
    const f = cacheFile(key);
    return f && existsSync(f) ? readFileSync(f) : undefined;
  };
  const writeCache = (key: string, uri: string, format: string, bytes: Uint8Array): void => {
    const f = cacheFile(key);
    if (!f) return;
    mkdirSync(insideWorkspace(opts.workspaceDir!, EXTERNAL_DIR), { recursive: true });
    // written aside and renamed: a reader never sees half a copy
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, f);
    writeFileSync(f.replace(/\.bin$/, '.json'), JSON.stringify({ url: shownUrl(uri), format, bytes: bytes.length, fetchedAt: new Date().toISOString() }, null, 1) + '\n');
  };
  return {
    maxBytes,
    read(uri: string, format: string): ExternalData {
      let scheme: string;
      try {
        scheme = new URL(uri).protocol;
      } catch {
        throw new QueryError(`externaldata: '${shownUrl(uri)}' is not a URL`, EXTERNAL_DATA_CODES.fetchFailed);
      }
      if (scheme !== 'http:' && scheme !== 'https:') throw new QueryError(`externaldata reads http and https URLs only, not ${scheme} (${shownUrl(uri)})`, EXTERNAL_DATA_CODES.fetchFailed);
      const key = crypto().createHash('sha256').update(`${uri}\n${format.toLowerCase()}`).digest('hex');
      const seen = fetched.get(key);
      if (seen) return seen;
      const cached = readCache(key);
      let result: ExternalData;
      if (opts.cacheOnly !== undefined) {
        if (!cached) throw new QueryError(`externaldata cannot read ${shownUrl(uri)}: ${opts.cacheOnly}; no copy of it is cached in the workspace`, EXTERNAL_DATA_CODES.networkOff);
        result = { bytes: cached };
      } else if (!allowNetwork) {
        if (!cached) throw new QueryError(`externaldata needs the network to read ${shownUrl(uri)}, which is not allowed: pass --allow-network (kqlite query/hunt), or set "externalData": {"allowNetwork": true} in the workspace's config.json`, EXTERNAL_DATA_CODES.networkOff);
        result = { bytes: cached };
      } else {
        const got = fetchSync(uri, maxBytes, timeoutMs, allowPrivate);
        if (got.ok) {
          writeCache(key, uri, format, got.bytes);
          result = { bytes: got.bytes };
        } else {
          const why = got.reason === 'http' ? `the server answered ${got.status} ${got.statusText}` : got.reason === 'size' ? `it is larger than the ${maxBytes}-byte cap (externalData.maxBytes)` : got.reason === 'timeout' ? `it took longer than the ${timeoutMs} ms cap (externalData.timeoutMs)` : got.reason === 'refused' ? `refused: ${got.message}` : `the request failed: ${got.message}`;
          // caps are the user's limits: a copy fetched before under other limits does not stand in
          if (cached && (got.reason === 'http' || got.reason === 'network')) result = { bytes: cached, warning: `externaldata could not read ${shownUrl(uri)} (${why}); used the copy cached in the workspace` };
          else {
            const code = got.reason === 'size' ? EXTERNAL_DATA_CODES.tooLarge : got.reason === 'timeout' ? EXTERNAL_DATA_CODES.tooSlow : EXTERNAL_DATA_CODES.fetchFailed;
            throw new QueryError(`externaldata could not read ${shownUrl(uri)}: ${why}`, code);
          }
        }
      }
      fetched.set(key, result);
      return result;
    },
  };
}

/**
 * The source for a command over a workspace: the network allowed by the command's flag or by the
 * workspace's config.json, the caps from the config. Loopback, private and link-local addresses stay out of
 * reach unless config.json's allowPrivateNetwork (or the caller, for a query the user typed) allows them.
 */
export function externalDataFor(workspaceDir: string | undefined, flags: { allowNetwork?: boolean; allowPrivateNetwork?: boolean; cacheOnly?: string } = {}): ExternalDataSource {
  const config = workspaceDir && existsSync(workspaceDir) ? readWorkspaceConfig(workspaceDir).externalData : { ...DEFAULT_EXTERNAL_DATA };
  return externalDataSource({
    ...config, allowNetwork: Boolean(flags.allowNetwork) || config.allowNetwork, allowPrivateNetwork: Boolean(flags.allowPrivateNetwork) || config.allowPrivateNetwork,
    ...(workspaceDir && existsSync(workspaceDir) ? { workspaceDir } : {}),
    ...(flags.cacheOnly !== undefined ? { cacheOnly: flags.cacheOnly } : {}),
  });
}

/** Why hunts read only cached copies for rules synced from git sources (the reason in their errors). */
export const SOURCED_RULES_OFFLINE = 'a rule synced from a git source never downloads (hunts keep third-party rules off the network, whatever the network permission)';

/** The externaldata of a hunt's rules from git sources: the workspace's cached copies, never the network. */
export function sourcedExternalDataFor(workspaceDir: string | undefined): ExternalDataSource {
  return externalDataFor(workspaceDir, { cacheOnly: SOURCED_RULES_OFFLINE });
}
