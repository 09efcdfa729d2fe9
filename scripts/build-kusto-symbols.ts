/**
 * Writes src/kql/semantics/signatures/kusto-symbols.json from Microsoft's Kusto.Language symbol tables
 * (`GlobalState.Default`, the @kusto/language-service-next dev dependency, MIT): every scalar function,
 * aggregate and plugin name it knows, with how each names an unnamed result column (its ResultNameKind and
 * prefix: `strlen(a)` → `strlen_a`, `any(a)` → `any_a`, `tostring(a)` → `a`) and, for deprecated aliases,
 * the name that replaced them (`argmax` → `arg_max`). kqlite's naming reads it (semantics/naming.ts) and a test
 * diffs the names with kqlite's own signatures (test/kql/semantics/kusto-symbols.test.ts). Facts only.
 *   node --import tsx scripts/build-kusto-symbols.ts [--check]
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '../src/kql/semantics/signatures/kusto-symbols.json');
const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
const K = (globalThis as any).Kusto;
const version = (JSON.parse(readFileSync(require.resolve('@kusto/language-service-next/package.json'), 'utf8')) as { version: string }).version;

const KINDS: Record<number, string> = {
  0: 'none', 1: 'name-and-first-argument', 2: 'name-and-only-argument', 3: 'prefix-and-first-argument', 4: 'prefix-and-only-argument',
  5: 'first-argument-value-if-column', 6: 'prefix-only', 7: 'first-argument', 8: 'only-argument',
};

/** [name, result-name kind, prefix or null, replacement name or null]. */
type Entry = [string, string, string | null, string | null];

function entries(list: any[]): Entry[] {
  return list
    .map((f): Entry => [f.Name, KINDS[Number(f.ResultNameKind)] ?? 'none', f.ResultNamePrefix ?? null, f.IsObsolete ? (f.Alternative ?? null) : null])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const G = K.Language.GlobalState.Default;
const data = {
  about: `Kusto.Language ${version} (GlobalState.Default): function, aggregate and plugin names; [name, result naming, prefix, replacement of a deprecated name]. Built by scripts/build-kusto-symbols.ts.`,
  functions: entries(G.Functions),
  aggregates: entries(G.Aggregates),
  plugins: (G.PlugIns as any[]).map((p) => p.Name as string).sort(),
};
const text = '{\n' + Object.entries(data).map(([k, v]) => `  ${JSON.stringify(k)}: ${Array.isArray(v) ? '[\n' + v.map((x) => '    ' + JSON.stringify(x)).join(',\n') + '\n  ]' : JSON.stringify(v)}`).join(',\n') + '\n}\n';
if (process.argv.includes('--check')) {
  const same = existsSync(OUT) && readFileSync(OUT, 'utf8') === text;
  console.log(same ? 'up to date' : `${OUT} differs`);
  process.exit(same ? 0 : 1);
}
writeFileSync(OUT, text);
console.log(`wrote ${OUT}: ${data.functions.length} functions, ${data.aggregates.length} aggregates, ${data.plugins.length} plugins`);
