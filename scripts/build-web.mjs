// Builds the single-page web app (src/web) into dist/web with esbuild: the app (app.js + lazily loaded
// chunks, app.css), the editor's stylesheet (editor.css, linked only by the workbench), the two editor workers monaco needs (its own editor.worker and the Kusto language
// service's kusto.worker, each a classic worker script), the codicon font, and index.html.
// Everything the page loads is served from the same origin: no CDN, no web fonts from elsewhere.
//
//   node scripts/build-web.mjs            build once (minified)
//   node scripts/build-web.mjs --dev      unminified, with source maps
//   node scripts/build-web.mjs --watch    rebuild on change (implies --dev)
//   --outdir DIR                          build somewhere else than dist/web (tests)
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, copyFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? resolve(process.argv[outdirFlag + 1]) : join(root, 'dist', 'web');
const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  logLevel: 'warning',
  // The Kusto language service is a Bridge.NET script that looks for a global `global` when `module` exists.
  define: { global: 'globalThis', 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
  legalComments: 'linked',
};

/**
 * Stylesheets imported by packages (monaco's ~120 KiB, one per widget) are left out of the application build:
 * with code splitting esbuild would merge them into app.css, loaded on every page, and also write them again as
 * chunk CSS nothing loads. They go into their own editor.css instead (editorCssOptions), which the workbench
 * links before it creates the editor.
 */
const packageCssLeftOut = {
  name: 'package-css-left-out',
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, (args) => (/[\\/]node_modules[\\/]/.test(args.importer) ? { path: args.path, namespace: 'package-css' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'package-css' }, () => ({ contents: '', loader: 'js' }));
  },
};

/** The application: ESM with code splitting, so the editor (monaco, ~4 MB) loads only on /workbench. */
const appOptions = {
  ...common,
  entryPoints: { app: join(root, 'src/web/main.tsx') },
  outdir,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  publicPath: '/',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(root, 'tsconfig.web.json'),
  plugins: [packageCssLeftOut],
};

/**
 * editor.css: every stylesheet the editor module reaches (monaco's widgets, in import order), with the codicon
 * font beside it. esbuild bundles the editor module once more to find them; only the CSS and fonts are written.
 */
const onlyStylesAndFonts = {
  name: 'only-styles-and-fonts',
  setup(build) {
    build.onEnd((result) => {
      for (const file of result.outputFiles ?? []) {
        if (/\.js(\.map|\.LEGAL\.txt)?$/.test(file.path)) continue;
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.contents);
      }
    });
  },
};
const editorCssOptions = {
  ...common,
  entryPoints: { editor: join(root, 'src/web/workbench/editor.ts') },
  outdir,
  format: 'esm',
  write: false,
  assetNames: 'fonts/[name]-[hash]',
  publicPath: '/',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  tsconfig: join(root, 'tsconfig.web.json'),
  plugins: [onlyStylesAndFonts],
};

/**
 * The Kusto language service is a Bridge.NET bundle that can also run under Node, where it reads files with
 * `require("fs")`; that branch never runs in a browser, so Node built-ins resolve to an empty module.
 */
const nodeBuiltinsAsEmpty = {
  name: 'node-builtins-as-empty',
  setup(build) {
    build.onResolve({ filter: /^(fs|path|os|crypto)$/ }, (args) => ({ path: args.path, namespace: 'empty-builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'empty-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** Web workers are loaded with `new Worker(url)`: classic scripts, one self-contained file each. */
const workerOptions = {
  ...common,
  entryPoints: {
    'editor.worker': join(root, 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js'),
    'kusto.worker': join(root, 'node_modules/@kusto/monaco-kusto/release/esm/kusto.worker.js'),
  },
  outdir,
  format: 'iife',
  plugins: [nodeBuiltinsAsEmpty],
};

function copyStatic() {
  copyFileSync(join(root, 'src/web/index.html'), join(outdir, 'index.html'));
}

function sizeReport() {
  const rows = [];
  const walk = (dir) => {
    for (const n of readdirSync(dir)) {
      const f = join(dir, n);
      if (statSync(f).isDirectory()) walk(f);
      else if (!n.endsWith('.map') && !n.endsWith('.LEGAL.txt')) rows.push([f.slice(outdir.length + 1), statSync(f).size]);
    }
  };
  walk(outdir);
  rows.sort((a, b) => b[1] - a[1]);
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`.padStart(9);
  console.log(`dist/web: ${rows.length} files, ${kb(rows.reduce((s, r) => s + r[1], 0)).trim()}`);
  for (const [name, size] of rows.slice(0, 8)) console.log(`  ${kb(size)}  ${name}`);
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
if (watch) {
  const app = await esbuild.context({ ...appOptions, plugins: [...appOptions.plugins, { name: 'copy-static', setup: (b) => b.onEnd(copyStatic) }] });
  const workers = await esbuild.context(workerOptions);
  const editorCss = await esbuild.context(editorCssOptions);
  await Promise.all([app.watch(), workers.watch(), editorCss.watch()]);
  console.log('watching src/web for changes');
} else {
  await Promise.all([esbuild.build(appOptions), esbuild.build(workerOptions), esbuild.build(editorCssOptions)]);
  copyStatic();
  sizeReport();
}
