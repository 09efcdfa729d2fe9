// npm's `prepare`: builds dist/ (the CLI and the web app) unless it is already newer than every input.
// npm runs `prepare` after `npm ci`, and again whenever `npx kqlite` is used in the clone (npx installs the
// package's own folder into its cache, which runs `prepare`): a full build there took ~20 s before the first
// command answered. Rebuilding only when something changed keeps `npx kqlite` quick; `npm run build` always builds.
import { spawnSync } from 'node:child_process';
import { isBuildFresh, root } from './build-state.mjs';

if (isBuildFresh() && !process.argv.includes('--force')) {
  console.log('kqlite: dist/ is up to date (npm run build rebuilds it)');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
