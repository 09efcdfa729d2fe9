// The README's commands work as written: every `npx kqlite ...` line of its shell blocks runs (after
// `npm start`'s work, in a folder of its own) and succeeds, and every command it names exists.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { COMMANDS } from '../../src/cli/commands.js';
import { runCli } from '../helpers/cli.js';

/** A command line split into words as sh does for plain words and '...' / "..." quoting. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

const README = readFileSync('README.md', 'utf8');
const shellLines = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim());

let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kqlite-readme-'));
  // what `npm start` does before it serves: the demo workspace in ./.kqlite, hunted
  const r = await runCli(['start', '--no-serve'], { cwd: dir, env: { KQLITE_WORKSPACE: undefined } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, '.kqlite', 'findings.sqlite')));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every `npx kqlite` command in the README runs as written', async () => {
  const commands = shellLines.filter((l) => l.startsWith('npx kqlite '));
  assert.ok(commands.length >= 5, `the README shows how to run kqlite (${commands.length} commands)`);
  for (const line of commands) {
    const args = shellWords(line).slice(2);
    const r = await runCli(args, { cwd: dir, env: { KQLITE_WORKSPACE: undefined } });
    assert.equal(r.code, 0, `${line}\n${r.stdout}${r.stderr}`);
    assert.equal(r.stderr, '', line);
  }
});

test('every command the README mentions exists, and npm start is what it says', () => {
  for (const m of README.matchAll(/`(?:npx )?kqlite ([a-z]+)/g)) assert.ok(m[1]! in COMMANDS, `kqlite ${m[1]}`);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  assert.equal(pkg.bin['kqlite'], 'bin/kqlite.js');
  assert.match(pkg.scripts['start']!, /kqlite\.js start$/);
});
