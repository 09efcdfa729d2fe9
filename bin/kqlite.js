#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`).
import { endQuietlyOnClosedPipe, main } from '../dist/cli/main.js';

endQuietlyOnClosedPipe();

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`kqlite: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);
