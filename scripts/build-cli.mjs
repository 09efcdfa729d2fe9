// Part of `npm run build` (after tsc): bundles the command line into dist/cli-bundle/ with esbuild, which
// bin/kqlite.js runs when it exists. tsc leaves ~280 modules under dist/ and the packages add ~350 more;
// resolving, reading and linking them one by one took ~250 ms of every command (more than the command's work).
// Bundled, each command is one file, all in one folder:
// - main.js and one file per command module, named as in dist/cli/, so main.ts's `import('./<command>.js')`
//   finds them beside it (see commandEntries);
// - `import.meta.url` in a module outside src/cli is replaced by the URL its own dist/ file has, so what
//   it locates beside itself (worker scripts, built data, the web app) is found as it is unbundled;
// - packages that are native (better-sqlite3), read files next to themselves, or are large and only one
//   command needs them (Azure SDKs, fastify) stay outside the bundle and load from node_modules.
//   node scripts/build-cli.mjs      (run `tsc -p tsconfig.json` first: it bundles dist/, not src/)
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = join(root, 'dist');
const outdir = join(dist, 'cli-bundle');
const { COMMANDS } = await import(pathToFileURL(join(dist, 'cli/commands.js')).href);

export const EXTERNAL = ['better-sqlite3', '@azure/*', 'azure-kusto-data', 'fastify', '@fastify/*', '@duckdb/*', 'uap-core', '@ip-location-db/*'];

/** Each module's `import.meta.url` stays its own dist/ file's URL (see above); src/cli's keep the bundle's. */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + sep) || dirname(args.path) === join(dist, 'cli')) return undefined;
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(outdir, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** Large JSON (the table schemas) is parsed faster by JSON.parse than the same object written as JavaScript. */
const jsonAsJsonParse = {
  name: 'json-as-json-parse',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = JSON.stringify(JSON.parse(await readFile(args.path, 'utf8')));
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

/**
 * Packages that only some functions need (YAML reading, regular expressions, H3 and S2 cells, GeoIP, the
 * special functions, CSV, exact JSON numbers): imported by an ES module they would be loaded and run as soon
 * as the bundle loads (~60 ms together on this machine). They stay out of the bundle, and our imports of them
 * get a stand-in module instead: each function or class export is a stand-in that loads the package (its
 * CommonJS build, through require) on first use — a call, `new`, a static member, `instanceof` — and then
 * rebinds every export to the real one (ES module bindings are live, so later uses go straight to the
 * package). Plain-data exports are copied as data; other objects get a stand-in too. better-sqlite3 (only
 * commands that open the findings database) and azure-kusto-data (remotes; 1-4 s to load) are stood in for
 * the same way, so `rules list` or `serve` without a remote never load them.
 */
const LAZY_PACKAGES = /^(yaml|h3-js|mmdb-lib|re2js|nodes2ts|lossless-json|csv-parse|csv-parse\/sync|@stdlib\/math-base-special-[a-z]+|better-sqlite3|azure-kusto-data)$/;
/** Exports of those packages kqlite does not use and that cannot be stood in for (yaml's CST namespace). */
const LAZY_LEFT_OUT = new Set(['yaml:CST']);
/** The stand-in of one function or class export: a Proxy that forwards everything to the real one. */
const STAND_IN = `function standIn(real, target = function () {}) {
  return new Proxy(target, {
    apply: (_, self, args) => Reflect.apply(real(), self, args),
    construct: (_, args, newTarget) => Reflect.construct(real(), args, newTarget),
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => [...new Set([...Reflect.ownKeys(real()), ...Reflect.ownKeys(target)])],
    getOwnPropertyDescriptor: (_, key) => {
      const own = Reflect.getOwnPropertyDescriptor(target, key);
      const d = own ?? Reflect.getOwnPropertyDescriptor(real(), key);
      return own || !d ? own : { ...d, configurable: true };
    },
  });
}`;
const dataLiteral = (v) => {
  if (typeof v === 'bigint') return `${v}n`;
  const json = JSON.stringify(v);
  return json !== undefined && JSON.stringify(JSON.parse(json)) === json ? json : undefined;
};
const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const requireHere = createRequire(join(root, 'package.json'));
    build.onResolve({ filter: LAZY_PACKAGES }, (args) => (args.kind === 'import-statement' && !args.importer.includes(`${sep}node_modules${sep}`) ? { path: args.path, namespace: 'lazy-package' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => {
      const real = requireHere(args.path);
      const spec = JSON.stringify(args.path);
      const lines = [STAND_IN, 'let m;'];
      if (typeof real === 'function') {
        lines.push(`function load() { if (!m) { m = require(${spec}); def = m; } return m; }`, 'let def = standIn(load);', 'export { def as default };');
        return { contents: lines.join('\n'), loader: 'js', resolveDir: root };
      }
      const names = Object.keys(real).filter((k) => k !== 'default' && k !== '__esModule' && !LAZY_LEFT_OUT.has(`${args.path}:${k}`));
      // functions and objects that are not plain data (settings objects with methods) get stand-ins
      const fns = names.filter((k) => typeof real[k] === 'function' || (typeof real[k] === 'object' && real[k] !== null && dataLiteral(real[k]) === undefined));
      lines.push(`function load() { if (!m) { m = require(${spec}); ${fns.map((k) => `${k} = m.${k};`).join(' ')} } return m; }`);
      for (const k of names) {
        if (fns.includes(k)) {
          lines.push(`export let ${k} = standIn(() => load().${k}${typeof real[k] === 'function' ? '' : ', {}'});`);
          continue;
        }
        const data = dataLiteral(real[k]);
        if (data === undefined) throw new Error(`lazy package ${args.path}: export ${k} is neither a function nor plain data`);
        lines.push(`export const ${k} = ${data};`);
      }
      return { contents: lines.join('\n'), loader: 'js', resolveDir: root };
    });
  },
};

/**
 * The built CLI reads the built-in rules from dist/rules/data (scripts/build-rules.mjs, run before this): the
 * generators src/rules/builtin.ts falls back to when run from source are left out of it, with the RMM catalog,
 * ATT&CK and the YAML reader they bring, unless a command needs those for something else.
 */
const builtRulesOnly = {
  name: 'built-rules-only',
  setup(build) {
    const builtin = join(dist, 'rules', 'builtin.js');
    build.onResolve({ filter: /^\.\/(generate|example-rules)\.js$/ }, (args) => (args.importer === builtin ? { path: args.path, namespace: 'built-rules-only' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'built-rules-only' }, (args) => {
      const name = args.path.includes('generate') ? 'generateBuiltinRules' : 'readExampleRules';
      return { contents: `export function ${name}() { throw new Error('the built-in rules are missing from dist/rules/data (run npm run build)'); }`, loader: 'js' };
    });
  },
};
if (!existsSync(join(dist, 'rules', 'data', 'builtin-rules.json'))) throw new Error('dist/rules/data/builtin-rules.json is missing: run scripts/build-rules.mjs first');

/**
 * One file per command, so a command loads one file (Node's ES module loader reads each file through the
 * thread pool; with shared chunks `hunt` read 15, and each read is a wait on a busy machine): `<command>.js`
 * is main.ts together with the command's module (bin/kqlite.js imports it, and main's `import('./<command>.js')`
 * is then that same module), `main.js` is main.ts alone (help, unknown commands). Modules a command reaches
 * are copied into its file, never shared between two loaded files of one process.
 */
const entryPoints = { main: join(dist, 'cli/main.js') };
for (const c of Object.values(COMMANDS)) entryPoints[c.module] = `command-entry:${c.module}`;
const commandEntries = {
  name: 'command-entries',
  setup(build) {
    build.onResolve({ filter: /^command-entry:/ }, (args) => ({ path: args.path.slice('command-entry:'.length), namespace: 'command-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'command-entry' }, (args) => ({
      contents: `export * from ${JSON.stringify(join(dist, 'cli/main.js'))};\nexport { run } from ${JSON.stringify(join(dist, 'cli', `${args.path}.js`))};`,
      loader: 'js',
      resolveDir: dist,
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // the lazily loaded packages are left out too: loaded from node_modules on first use, their code is not
  // even compiled when a command does not use them (h3-js alone took ~15 ms to compile)
  external: [...EXTERNAL, 'yaml', 'h3-js', 'mmdb-lib', 're2js', 'nodes2ts', 'lossless-json', 'csv-parse', 'csv-parse/sync', '@stdlib/*'],
  // packages written as CommonJS call require() for Node's modules: give the ES module bundle one
  banner: { js: "import { createRequire as __kqliteCreateRequire } from 'node:module'; const require = __kqliteCreateRequire(import.meta.url);" },
  plugins: [commandEntries, ownImportMetaUrl, jsonAsJsonParse, lazyPackages, builtRulesOnly],
  minifyWhitespace: true,
  logLevel: 'warning',
});
const files = readdirSync(outdir);
const bytes = files.reduce((s, f) => s + statSync(join(outdir, f)).size, 0);
console.log(`dist/cli-bundle: ${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB (${Math.round(performance.now() - started)} ms)`);
