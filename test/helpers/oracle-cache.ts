// Kusto.Language's verdicts on the oracle corpora, kept in test/kql/oracle-cache.json.gz so the oracle test
// does not spend a minute of CPU re-running Microsoft's analyser (~15 ms a query in its Bridge.NET build) on
// queries it has already judged. A verdict is reused only under a key of everything it depends on: the
// Kusto.Language version, this harness's set-up, the query text and the schemas of the catalog tables the
// query can name (every table when it uses wildcards, search or find). Anything else is analysed live, so a
// stale cache makes the test slower, never wrong. Refresh it after catalog or corpus changes:
//   node --import tsx test/helpers/oracle-cache.ts
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Catalog } from '../../src/kql/semantics/index.js';
import { msAnalyze, type MsAnalysis } from './ms-parser.js';

const require = createRequire(import.meta.url);
const KUSTO_VERSION = (require('@kusto/language-service-next/package.json') as { version: string }).version;
/** Bump when ms-parser.ts changes what it loads into Kusto.Language or how it reads results. */
const HARNESS_VERSION = '2';
const CACHE_FILE = new URL('../kql/oracle-cache.json.gz', import.meta.url);

type Entry = MsAnalysis;
let cache: Map<string, Entry> | undefined;
const used = new Map<string, Entry>();
let misses = 0;

function load(): Map<string, Entry> {
  if (!cache) {
    cache = new Map();
    if (existsSync(CACHE_FILE)) {
      const data = JSON.parse(gunzipSync(readFileSync(CACHE_FILE)).toString('utf8')) as { entries: Record<string, Entry> };
      for (const [k, v] of Object.entries(data.entries)) cache.set(k, v);
    }
  }
  return cache;
}

const tableFingerprints = new WeakMap<Catalog, { each: Map<string, string>; all: string }>();
function fingerprints(catalog: Catalog): { each: Map<string, string>; all: string } {
  let f = tableFingerprints.get(catalog);
  if (!f) {
    const each = new Map<string, string>();
    for (const t of catalog.tables.values()) each.set(t.name, `${t.name}(${t.columns.map((c) => `${c.name}:${c.type}`).join(',')})`);
    const all = createHash('sha256').update([...each.values()].sort().join('\n')).digest('hex');
    f = { each, all };
    tableFingerprints.set(catalog, f);
  }
  return f;
}

/** The key of a verdict: version, set-up, text, and the schemas of the tables the text can reach. */
export function verdictKey(text: string, catalog: Catalog): string {
  const f = fingerprints(catalog);
  const everyTable = /\bsearch\b|\bfind\b|\w\*|\*\w|\bunion\b[^|;]*?\*|\bdatabase\s*\(/.test(text);
  const tables = everyTable ? [f.all] : [...new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].sort().flatMap((w) => (f.each.has(w) ? [f.each.get(w)!] : []));
  return createHash('sha256').update([KUSTO_VERSION, HARNESS_VERSION, text, ...tables].join('\0')).digest('base64url').slice(0, 22);
}

/** msAnalyze, answered from the cache when the key matches. */
export function cachedMsAnalyze(text: string, catalog: Catalog): MsAnalysis {
  const key = verdictKey(text, catalog);
  let v = load().get(key);
  if (!v) {
    misses++;
    v = msAnalyze(text, catalog);
  }
  used.set(key, v);
  return v;
}

export function cacheMisses(): number {
  return misses;
}

/** Writes the verdicts used in this run (and only those) back to the cache file. */
export function saveOracleCache(): void {
  const entries = Object.fromEntries([...used.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(CACHE_FILE, gzipSync(JSON.stringify({ about: `Kusto.Language ${KUSTO_VERSION} verdicts; test/helpers/oracle-cache.ts`, entries }), { level: 9 }));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const { oracleQueries } = await import('./oracle-queries.js');
  const { defaultCatalog } = await import('../../src/kql/semantics/index.js');
  const catalog = defaultCatalog();
  for (const q of oracleQueries()) cachedMsAnalyze(q.query, catalog);
  saveOracleCache();
  console.log(`${used.size} verdicts written, ${misses} analysed now`);
}
