// Whether dist/ is newer than everything it is built from. Shared by `prepare` (build only when stale) and
// the tests (which run the built command line, as users do, and must not run a stale one).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUTPUTS = ['dist/cli/main.js', 'dist/rules/data/builtin-rules.json', 'dist/rules/data/builtin-rules-texts.jsonl', 'dist/cli-bundle/main.js', 'dist/web/index.html', 'dist/web/app.js'];
const INPUTS = ['src', 'scripts/build-rules.mjs', 'scripts/build-cli.mjs', 'scripts/build-web.mjs', 'tsconfig.json', 'tsconfig.web.json', 'package-lock.json'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** True when every output exists and is newer than every input. */
export function isBuildFresh() {
  const outputs = OUTPUTS.map((f) => join(root, f));
  const built = outputs.every((f) => existsSync(f)) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
  const changed = INPUTS.map((f) => join(root, f)).filter((f) => existsSync(f)).reduce((max, f) => Math.max(max, newest(f)), 0);
  return built > changed;
}
