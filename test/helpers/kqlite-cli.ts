// Runs the kqlite CLI from source (through tsx), exactly as bin/kqlite.js runs it from dist/.
import { endCleanlyOnCrash, endQuietlyOnClosedPipe, main } from '../../src/cli/main.js';

endQuietlyOnClosedPipe();
endCleanlyOnCrash();

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: Error) => {
    process.stderr.write(`kqlite: internal error: ${err?.message ?? err}\n`);
    if (process.env['KQLITE_DEBUG'] && err?.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
