/**
 * Where the workspace lives: `--workspace DIR`, else `$KQLITE_WORKSPACE`, else `.kqlite/` in the current
 * directory. Layout inside it (each owned by one layer):
 *   tables/      columnar extents (src/store)         quarantine/  records set aside at ingest (src/store)
 *   rules/       imported rules and their history (src/rules)
 *   sources/     synced git sources: bare repositories, rules with versions, changes log (src/rules/sources)
 *   watchlists/  watchlists from CSV for _GetWatchlist (src/rules)
 *   findings.sqlite  hunt runs, findings, triage, suppressions (src/hunts)
 *   config.json  user settings (externalData)          external/   externaldata's copies of fetched URLs (src/ingest)
 */
import { accessSync, constants } from 'node:fs';
import { resolve, relative, isAbsolute, sep } from 'node:path';

export function resolveWorkspaceDir(flag?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const chosen = flag ?? env['KQLITE_WORKSPACE'] ?? '.kqlite';
  return resolve(cwd, chosen);
}

/**
 * Joins a relative path onto the workspace and refuses any result outside it (`..`, absolute paths,
 * symlink-free check on the lexical path). Every file a layer opens inside the workspace goes through this.
 */
export function insideWorkspace(workspace: string, ...parts: string[]): string {
  const root = resolve(workspace);
  const target = resolve(root, ...parts);
  const rel = relative(root, target);
  if (rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))) return target;
  throw new Error(`path escapes the workspace: ${parts.join('/')}`);
}

/** Whether this process can write into the workspace folder (false on a read-only folder or file system). */
export function workspaceWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return false;
    return true; // missing: it will be made (and fail then, with its own error)
  }
}
