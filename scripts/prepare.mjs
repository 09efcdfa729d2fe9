// npm's `prepare`: builds dist/ (the CLI and the web app) unless it is already newer than every input.
// npm runs `prepare` after `npm ci`, and again whenever `npx kqlite` is used in the clone (npx installs the
// package's own folder into its cache, which runs `prepare`): a full build there took ~20 s before the first
// command answered. Rebuilding only when something changed keeps `npx kqlite` quick; `npm run build` always builds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUTPUTS = ['dist/cli/main.js', 'dist/rules/data/builtin-rules.json', 'dist/cli-bundle/main.js', 'dist/web/index.html', 'dist/web/app.js'];
const INPUTS = ['src', 'scripts/build-rules.mjs', 'scripts/build-cli.mjs', 'scripts/build-web.mjs', 'tsconfig.json', 'tsconfig.web.json', 'package-lock.json'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const outputs = OUTPUTS.map((f) => join(root, f));
const built = outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
const changed = INPUTS.map((f) => join(root, f)).filter((f) => existsSync(f)).reduce((max, f) => Math.max(max, newest(f)), 0);
if (built > changed && !process.argv.includes('--force')) {
  console.log('kqlite: dist/ is up to date (npm run build rebuilds it)');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
