#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`):
// dist/cli-bundle/ is the bundled command line (scripts/build-cli.mjs), which starts several times faster
// than the same modules unbundled under dist/cli/ (used when there is no bundle).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// the bundle has one file per command holding main and that command (scripts/build-cli.mjs); main.js alone
// answers help and unknown commands
const name = process.argv[2];
const bundleFile = (n) => fileURLToPath(new URL(`../dist/cli-bundle/${n}.js`, import.meta.url));
const command = name && /^[a-z]+$/.test(name) && name !== 'main' ? bundleFile(name) : undefined;
const bundled = command && existsSync(command) ? command : bundleFile('main');
const { endCleanlyOnCrash, endQuietlyOnClosedPipe, main } = existsSync(bundled) ? await loadBundled(bundled) : await import(new URL('../dist/cli/main.js', import.meta.url).href);

/** A bundle file through its code cache (bin/load-bundle.js); a cache this Node cannot use is made anew. */
async function loadBundled(file) {
  const { loadBundle, writeCodeCache } = await import('./load-bundle.js');
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

endQuietlyOnClosedPipe();
endCleanlyOnCrash();

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // main reports every error itself; this is the last line of defence (one line, the stack only on request)
    process.stderr.write(`kqlite: internal error: ${err && err.message ? err.message : err}\n`);
    if (process.env.KQLITE_DEBUG && err && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
