#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`):
// dist/cli-bundle/ is the bundled command line (scripts/build-cli.mjs), which starts several times faster
// than the same modules unbundled under dist/cli/ (used when there is no bundle).
import { existsSync } from 'node:fs';

// the bundle has one file per command holding main and that command (scripts/build-cli.mjs); main.js alone
// answers help and unknown commands
const name = process.argv[2];
const command = name && /^[a-z]+$/.test(name) && name !== 'main' ? new URL(`../dist/cli-bundle/${name}.js`, import.meta.url) : undefined;
const bundled = command && existsSync(command) ? command : new URL('../dist/cli-bundle/main.js', import.meta.url);
const { endCleanlyOnCrash, endQuietlyOnClosedPipe, main } = await import(existsSync(bundled) ? bundled.href : new URL('../dist/cli/main.js', import.meta.url).href);

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
