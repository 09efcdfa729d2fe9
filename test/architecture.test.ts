// The import rules of ARCHITECTURE.md, checked mechanically: a folder imports only folders before it in
// the pipeline; `web` imports only types from the server's API module, plus kql/syntax; a package loaded on
// first use (src/common/lazy-package.ts) is imported nowhere else but as types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';

const ORDER = ['common', 'kql/syntax', 'kql/semantics', 'engine', 'store', 'ingest', 'rules', 'hunts', 'remote', 'server', 'web', 'cli'];
const SRC = resolve('src');

function layerOf(file: string): string | undefined {
  const rel = relative(SRC, file).split(sep).join('/');
  return ORDER.slice().sort((a, b) => b.length - a.length).find((l) => rel === l || rel.startsWith(l + '/'));
}

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const f = join(dir, n);
    if (n === 'node_modules' || n === 'dist') continue;
    if (statSync(f).isDirectory()) walk(f, out);
    else if (/\.(ts|tsx)$/.test(n) && !n.endsWith('.d.ts')) out.push(f);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

test('every source file sits in a known layer', () => {
  const stray = walk(SRC).filter((f) => layerOf(f) === undefined);
  assert.deepEqual(stray.map((f) => relative(SRC, f)), []);
});

test('imports follow the pipeline direction', () => {
  const violations: string[] = [];
  for (const file of walk(SRC)) {
    const from = layerOf(file)!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[3] ?? m[4]!;
      const typeOnly = Boolean(m[2]);
      if (!spec.startsWith('.')) continue; // packages are checked by review, not by layer
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const to = layerOf(target);
      const where = `${relative(SRC, file)} -> ${spec}`;
      if (to === undefined) { violations.push(`${where}: outside src layers`); continue; }
      if (from === 'web') {
        const rel = relative(SRC, target).split(sep).join('/');
        const ok = to === 'web' || to === 'kql/syntax' || (rel === 'server/api.ts' && typeOnly);
        if (!ok) violations.push(`${where}: web may import only its own files, kql/syntax, and types from server/api`);
        continue;
      }
      if (to === 'web') { violations.push(`${where}: nothing imports web`); continue; }
      if (ORDER.indexOf(to) > ORDER.indexOf(from)) violations.push(`${where}: ${from} may not import ${to}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('source files stay small (none over 800 lines)', () => {
  const big = walk(SRC)
    .map((f) => ({ f: relative(SRC, f), n: readFileSync(f, 'utf8').split('\n').length }))
    .filter((x) => x.n > 800);
  assert.deepEqual(big, []);
});

test('packages loaded on first use are imported as types only (one copy loaded, and only when used)', () => {
  const files = walk(SRC).filter((f) => layerOf(f) !== 'web');
  const lazy = new Set<string>();
  // Node's own modules are one instance however loaded: only packages are checked
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/lazyPackage<[^\n]*?>\('([^']+)'\)/g)) if (!m[1]!.startsWith('node:')) lazy.add(m[1]!);
  // the ones the start-up work measured (docs/PERFORMANCE.md); a lost call site would empty the list silently
  for (const name of ['yaml', 're2js', 'h3-js', 'nodes2ts', 'better-sqlite3', 'azure-kusto-data']) assert.ok(lazy.has(name), name);
  const valueImports: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT_RE)) {
      const spec = m[3] ?? m[4]!;
      if (lazy.has(spec) && !m[2]) valueImports.push(`${relative(SRC, f)} -> ${spec}`);
    }
  }
  assert.deepEqual(valueImports, []);
});
