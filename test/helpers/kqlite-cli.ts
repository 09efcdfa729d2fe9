// Runs the kqlite CLI from source (through tsx), exactly as bin/kqlite.js runs it from dist/.
import { endQuietlyOnClosedPipe, main } from '../../src/cli/main.js';

endQuietlyOnClosedPipe();

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`kqlite: internal error: ${err?.stack ?? err}\n`); process.exitCode = 1; },
);
