// Runs `kqlite <args>` in this process with its standard output silenced (set-up steps whose output a test
// does not read). Silence only in `before`/set-up: inside a test it would also swallow the runner's report.
import { main } from '../../src/cli/main.js';

export async function mainQuietly(args: string[]): Promise<number> {
  const out = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await main(args);
  } finally {
    process.stdout.write = out;
  }
}
