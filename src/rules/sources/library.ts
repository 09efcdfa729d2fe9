/**
 * The stored functions rules may call: every synced source's parser functions plus `_GetWatchlist` over the
 * workspace's watchlists. Built once per change of either (parsing of each body waits for first use).
 */
import { createLibrary, type FunctionLibrary, type LibraryFunctionDef } from '../../kql/semantics/index.js';
import { readWatchlists, watchlistFunction, watchlistsStamp } from '../watchlists.js';
import { readSources } from './config.js';
import { readSourceFunctions, sourcesGeneration } from './store.js';

const cache = new Map<string, { stamp: string; library: FunctionLibrary; count: number }>();

export function libraryDefs(ws: string, override?: { source: string; functions: Record<string, LibraryFunctionDef[]> }): LibraryFunctionDef[] {
  const defs: LibraryFunctionDef[] = [];
  const w = watchlistFunction(readWatchlists(ws));
  if (w) defs.push(w);
  for (const s of readSources(ws)) {
    const fns = override?.source === s.name ? override.functions : readSourceFunctions(ws, s.name);
    for (const path of Object.keys(fns).sort()) defs.push(...fns[path]!);
  }
  return defs;
}

/** The workspace's library (cached until a sync or a watchlist changes it). */
export function workspaceLibrary(ws: string): FunctionLibrary {
  const stamp = `${sourcesGeneration(ws)}|${watchlistsStamp(ws)}`;
  const hit = cache.get(ws);
  if (hit?.stamp === stamp) return hit.library;
  const defs = libraryDefs(ws);
  const library = createLibrary(defs);
  cache.set(ws, { stamp, library, count: defs.length });
  return library;
}
