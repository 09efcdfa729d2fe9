// Part of `npm run build` (after tsc): bundles the command line into dist/cli-bundle/ with esbuild, which
// bin/kqlite.js runs when it exists. tsc leaves ~280 modules under dist/ and the packages add ~350 more;
// resolving, reading and linking them one by one took ~250 ms of every command (more than the command's work).
// Bundled, each command is one file, all in one folder:
// - main.js and one file per command module, named as in dist/cli/; a command's file holds main.ts and the
//   command, and hands main the command's module (see commandEntries);
// - CommonJS files, which bin/load-bundle.js compiles with the V8 code cache made here after bundling
//   (<file>.js.cache, by running each command's --help once): Node 20's module loaders take no code cache;
// - `import.meta.url` in a module outside src/cli is replaced by the URL its own dist/ file has, so what
//   it locates beside itself (worker scripts, built data, the web app) is found as it is unbundled;
// - packages that are native (better-sqlite3), read files next to themselves, or are large and only one
//   command needs them (Azure SDKs, fastify) stay outside the bundle and load from node_modules, as do the
//   packages src/common/lazy-package.ts loads on first use.
//   node scripts/build-cli.mjs      (run `tsc -p tsconfig.json` first: it bundles dist/, not src/)
import * as esbuild from 'esbuild';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
 * One file per command, so a command loads one file (with shared chunks `hunt` read 15, and each read is a
 * wait on a busy machine): `<command>.js` is main.ts together with the command's module, which its `main`
 * hands to main.ts's (bin/kqlite.js loads the file the command names), `main.js` is main.ts alone (help,
 * unknown commands). Modules a command reaches are copied into its file, never shared between two loaded
 * files of one process.
 */
const entryPoints = { main: join(dist, 'cli/main.js') };
for (const c of Object.values(COMMANDS)) entryPoints[c.module] = `command-entry:${c.module}`;
const commandEntries = {
  name: 'command-entries',
  setup(build) {
    build.onResolve({ filter: /^command-entry:/ }, (args) => ({ path: args.path.slice('command-entry:'.length), namespace: 'command-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'command-entry' }, (args) => {
      const main = JSON.stringify(join(dist, 'cli/main.js'));
      return {
        contents: [
          `import { main as mainOf } from ${main};`,
          `import * as command from ${JSON.stringify(join(dist, 'cli', `${args.path}.js`))};`,
          `export { endCleanlyOnCrash, endQuietlyOnClosedPipe, usage, VERSION } from ${main};`,
          `export const main = (argv) => mainOf(argv, { module: ${JSON.stringify(args.path)}, command });`,
          'export const run = command.run;',
        ].join('\n'),
        loader: 'js',
        resolveDir: dist,
      };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: false,
  // CommonJS, for bin/load-bundle.js to compile each file with its V8 code cache (see the head of this file)
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // packages loaded on first use (src/common/lazy-package.ts) are required by a name the bundler cannot see,
  // so they stay in node_modules without being listed here
  external: EXTERNAL,
  // src/cli's modules see the bundle file's URL (a CommonJS file has no import.meta)
  define: { 'import.meta.url': '__kqliteBundleUrl' },
  banner: { js: "var __kqliteBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [commandEntries, ownImportMetaUrl, jsonAsJsonParse, builtRulesOnly],
  minifyWhitespace: true,
  // every other character escaped, so bin/load-bundle.js reads the files as Latin-1
  charset: 'ascii',
  logLevel: 'warning',
});
for (const f of readdirSync(outdir).filter((n) => n.endsWith('.js'))) {
  const bytes = readFileSync(join(outdir, f));
  if (bytes.some((b) => b > 0x7f)) throw new Error(`dist/cli-bundle/${f} is not ASCII: bin/load-bundle.js reads it as Latin-1`);
}
// the package is an ES module package: this folder's files are CommonJS
writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');

/**
 * The V8 code cache of each file, made by the Node that builds (bin/load-bundle.js): `kqlite <command> --help`
 * loads the command's file with no cache yet and writes it. Each file's code is compiled and its modules' top
 * level run, so this also shows that every command's file loads.
 */
const launcher = join(root, 'bin', 'kqlite.js');
const names = Object.keys(entryPoints).map((m) => (m === 'main' ? '--help' : Object.keys(COMMANDS).find((n) => COMMANDS[n].module === m)));
const run = promisify(execFile);
const queue = [...names];
// two at a time: the build machine's cores
await Promise.all([0, 1].map(async () => {
  for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
    const args = n === '--help' ? ['--help'] : [n, '--help'];
    await run(process.execPath, [launcher, ...args]).catch((e) => {
      throw new Error(`kqlite ${args.join(' ')} failed with the new bundle (exit ${e.code}):\n${e.stderr}`);
    });
  }
}));
const files = readdirSync(outdir);
const bytes = files.reduce((s, f) => s + statSync(join(outdir, f)).size, 0);
console.log(`dist/cli-bundle: ${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB (${Math.round(performance.now() - started)} ms)`);
