#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`):
// dist/cli-bundle/ is the bundled command line (scripts/build-cli.mjs), which starts several times faster
// than the same modules unbundled under dist/cli/ (used when there is no bundle). This folder is CommonJS
// (bin/package.json): a command that runs from the bundle never starts Node's ES module loader.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

// the bundle has one file per command holding main and that command (scripts/build-cli.mjs); main.js alone
// answers help and unknown commands
const name = process.argv[2];
const bundleFile = (n) => join(__dirname, '..', 'dist', 'cli-bundle', `${n}.js`);
const command = name && /^[a-z]+$/.test(name) && name !== 'main' ? bundleFile(name) : undefined;
const bundled = command && existsSync(command) ? command : bundleFile('main');
if (existsSync(bundled)) start(loadBundled(bundled));
else import(pathToFileURL(join(__dirname, '..', 'dist', 'cli', 'main.js')).href).then(start, failed);

/** A bundle file through its code cache (bin/load-bundle.js); a cache this Node cannot use is made anew. */
function loadBundled(file) {
  const { loadBundle, writeCodeCache } = require('./load-bundle.js');
  const loaded = loadBundle(file);
  if (loaded.cache !== 'accepted') {
    try {
      writeCodeCache(file, loaded.script);
    } catch {
      // a read-only install: every run compiles the file, as without a cache
    }
  }
  return loaded.exports;
}

function start({ endCleanlyOnCrash, endQuietlyOnClosedPipe, main }) {
  endQuietlyOnClosedPipe();
  endCleanlyOnCrash();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, failed);
}

function failed(err) {
  // main reports every error itself; this is the last line of defence (one line, the stack only on request)
  process.stderr.write(`kqlite: internal error: ${err && err.message ? err.message : err}\n`);
  if (process.env.KQLITE_DEBUG && err && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
}
