// Runs every test file under test/ with Node's built-in runner (node:test), TypeScript loaded through tsx.
// Node 20's --test does not expand globs itself, so the file list is gathered here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, out);
    else if (/\.test\.ts$/.test(name)) out.push(full);
  }
  return out;
}
const filter = process.argv.slice(2);
let files = collect('test', []);
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
// the command-line tests run the built CLI (bin/kqlite.js), as users do: build it first if src/ changed
const built = spawnSync(process.execPath, ['scripts/prepare.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(res.status ?? 1);
