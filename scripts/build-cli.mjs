// Part of `npm run build` (after tsc): bundles the command line into dist/cli-bundle/ with esbuild, which
// bin/kqlite.js runs when it exists. tsc leaves ~280 modules under dist/ and the packages add ~350 more;
// resolving, reading and linking them one by one took ~250 ms of every command (more than the command's work).
// Bundled, each command is one entry file plus shared chunks, all in one folder:
// - main.js and one entry per command module, named as in dist/cli/, so main.ts's `import('./<command>.js')`
//   finds them beside it; code shared by commands is in chunk-*.js files there (one copy of each module);
// - `import.meta.url` in a module outside src/cli is replaced by the URL its own dist/ file has, so what
//   it locates beside itself (worker scripts, built data, the web app) is found as it is unbundled;
// - packages that are native (better-sqlite3), read files next to themselves, or are large and only one
//   command needs them (Azure SDKs, fastify) stay outside the bundle and load from node_modules.
//   node scripts/build-cli.mjs      (run `tsc -p tsconfig.json` first: it bundles dist/, not src/)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
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

const entryPoints = { main: join(dist, 'cli/main.js') };
for (const c of Object.values(COMMANDS)) entryPoints[c.module] = join(dist, 'cli', `${c.module}.js`);

rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  external: EXTERNAL,
  // packages written as CommonJS call require() for Node's modules: give the ES module bundle one
  banner: { js: "import { createRequire as __kqliteCreateRequire } from 'node:module'; const require = __kqliteCreateRequire(import.meta.url);" },
  plugins: [ownImportMetaUrl, jsonAsJsonParse],
  minifyWhitespace: true,
  logLevel: 'warning',
});
const files = readdirSync(outdir);
const bytes = files.reduce((s, f) => s + statSync(join(outdir, f)).size, 0);
console.log(`dist/cli-bundle: ${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB (${Math.round(performance.now() - started)} ms)`);
