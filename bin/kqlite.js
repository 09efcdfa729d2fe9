#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`).
import { endCleanlyOnCrash, endQuietlyOnClosedPipe, main } from '../dist/cli/main.js';

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
