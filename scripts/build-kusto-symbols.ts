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
/**
 * Argument types: for every function and aggregate, each signature's parameters as [accepted kqlite types
 * ('|'-joined, '*' for any), min, max occurrences]. Accepted types follow Kusto.Language's parameter kinds;
 * a declared type takes what promotes to it (int → long → real → decimal) but never dynamic for a
 * non-dynamic type (Kusto rejects `countof(dynamic("a"), "a")`). Kinds that relate arguments to each other
 * (Parameter0, Common*) and tabular ones accept anything: the binder checks only what stands alone.
 */
const TYPES = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic'];
const NUMBERS = ['int', 'long', 'real', 'decimal'];
const S = K.Language.Symbols;
const items = (x: any): any[] => (Array.isArray(x) ? x : Array.from({ length: x.Count }, (_, i) => x.getItem(i)));
function accepted(p: any): string {
  const kind = Number(p.TypeKind);
  const except = (...no: string[]) => TYPES.filter((t) => !no.includes(t));
  let ok: string[];
  switch (kind) {
    case 1: {
      const declared = items(p.DeclaredTypes ?? []).map((t: any) => String(t.Name));
      if (!declared.every((d: string) => TYPES.includes(d))) return '*';
      ok = TYPES.filter((t) => declared.some((d: string) => (t === 'dynamic' ? d === 'dynamic' : S.ScalarTypes.GetSymbol(t).IsAssignableTo(S.ScalarTypes.GetSymbol(d), 1))));
      break;
    }
    case 6: ok = ['int', 'long']; break;
    case 7: ok = NUMBERS; break;
    case 8: case 9: ok = ['string', 'dynamic']; break;
    case 10: ok = ['int', 'long', 'dynamic']; break;
    case 11: case 12: ok = ['dynamic']; break;
    case 13: ok = NUMBERS; break;
    case 14: ok = [...NUMBERS, 'bool']; break;
    case 15: ok = [...NUMBERS, 'datetime', 'timespan']; break;
    case 17: ok = except('real', 'bool'); break;
    case 18: ok = except('dynamic'); break;
    case 19: ok = except('bool'); break;
    default: return '*';
  }
  return ok.length === TYPES.length ? '*' : ok.join('|');
}
function parameterTable(list: any[]): string {
  const out: Record<string, [string, number, number][][]> = {};
  for (const f of list) out[f.Name] = items(f.Signatures).map((sig: any) => items(sig.Parameters).map((p: any): [string, number, number] => [accepted(p), Number(p.MinOccurring), Number(p.MaxOccurring)]));
  return '{\n' + Object.keys(out).sort().map((n) => `    ${JSON.stringify(n)}: ${JSON.stringify(out[n])}`).join(',\n') + '\n  }';
}
const PARAMS_OUT = join(here, '../src/kql/semantics/signatures/kusto-parameters.json');
const paramsText = '{\n  "about": ' + JSON.stringify(`Kusto.Language ${version} (GlobalState.Default): each function's and aggregate's signatures, a parameter as [accepted kqlite types, min, max occurrences]. Built by scripts/build-kusto-symbols.ts.`) +
  ',\n  "functions": ' + parameterTable(G.Functions) + ',\n  "aggregates": ' + parameterTable(G.Aggregates) + '\n}\n';

const text = '{\n' + Object.entries(data).map(([k, v]) => `  ${JSON.stringify(k)}: ${Array.isArray(v) ? '[\n' + v.map((x) => '    ' + JSON.stringify(x)).join(',\n') + '\n  ]' : JSON.stringify(v)}`).join(',\n') + '\n}\n';
if (process.argv.includes('--check')) {
  const same = existsSync(OUT) && readFileSync(OUT, 'utf8') === text && existsSync(PARAMS_OUT) && readFileSync(PARAMS_OUT, 'utf8') === paramsText;
  console.log(same ? 'up to date' : `${OUT} or ${PARAMS_OUT} differs`);
  process.exit(same ? 0 : 1);
}
writeFileSync(OUT, text);
writeFileSync(PARAMS_OUT, paramsText);
console.log(`wrote ${OUT}: ${data.functions.length} functions, ${data.aggregates.length} aggregates, ${data.plugins.length} plugins`);
