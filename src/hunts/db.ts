/**
 * Opens the workspace's findings database (`findings.sqlite`), applying pending migrations. WAL mode lets
 * readers (the web server, `kqlite findings`) read while a hunt writes; every connection waits for a lock
 * (busy_timeout) instead of failing with "database is locked", so two hunts, or a hunt and a triage, take
 * turns. Opening for writing also ends runs whose process died (runs.ts).
 */
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lazyPackage, resolvePackageFile } from '../common/lazy-package.js';
import { DamagedFileError, workspacePath } from '../common/damaged.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import { MIGRATIONS } from './migrations.js';
import { endInterruptedRuns } from './runs.js';

export type Db = Database.Database;

/** better-sqlite3, loaded by the first command that opens a database (`query` or `rules list` never do). */
const sqlite = lazyPackage<typeof Database>('better-sqlite3');

let addon: { nativeBinding: string } | Record<string, never> | undefined;
/**
 * better-sqlite3's compiled addon named by its file: without it better-sqlite3 asks the `bindings` package to
 * search a dozen places for it (two more packages loaded, each place a stat), ~3 ms of each command that opens
 * a database. An install that keeps the addon elsewhere (a build of its own) is searched for as before.
 */
function addonOption(): { nativeBinding: string } | Record<string, never> {
  if (addon) return addon;
  const pkg = resolvePackageFile('better-sqlite3/package.json');
  const file = pkg === undefined ? undefined : join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
  return (addon = file !== undefined && existsSync(file) ? { nativeBinding: file } : {});
}

export const FINDINGS_FILE = 'findings.sqlite';

/** How long a statement waits for another connection's lock: a hunt's commit is one short transaction. */
export const BUSY_TIMEOUT_MS = 30_000;

export function openFindingsDb(workspaceDir: string, opts: { readonly?: boolean } = {}): Db {
  if (!existsSync(workspaceDir)) {
    if (opts.readonly) throw new Error(`no workspace at ${workspaceDir}`);
    mkdirSync(workspaceDir, { recursive: true });
  }
  const file = insideWorkspace(workspaceDir, FINDINGS_FILE);
  if (opts.readonly && !existsSync(file)) return openMemoryDb();
  let db: Db | undefined;
  try {
    db = new (sqlite())(file, { ...addonOption(), ...(opts.readonly ? { readonly: true, fileMustExist: true } : {}) });
    // first, so that even switching to WAL and migrating wait for a concurrent writer
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (opts.readonly) schemaVersion(db); // reads the header: a file that is not a database says so now
    else {
      db.pragma('journal_mode = WAL');
      migrate(db);
      endInterruptedRuns(db);
    }
    return db;
  } catch (e) {
    db?.close();
    throw explainDbError(e, workspaceDir, file);
  }
}

/**
 * SQLite's error in words a user can act on: a damaged file names itself and the way out; a lock held
 * too long says so. Anything else is returned as it is.
 */
export function explainDbError(e: unknown, workspaceDir: string, file = insideWorkspace(workspaceDir, FINDINGS_FILE)): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const shown = workspacePath(workspaceDir, file);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DamagedFileError(shown, (e as Error).message, 'move it aside (the findings, triage and allowances in it go with it) or restore a backup; the next hunt starts a new one');
  }
  if (code.startsWith('SQLITE_BUSY')) return new Error(`${shown} is busy: another kqlite held it for more than ${BUSY_TIMEOUT_MS / 1000} s; try again`);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) return new Error(`cannot write ${shown} (${(e as Error).message}): check the permissions of the file and its folder`);
  return e;
}

/** An empty, migrated in-memory database (tests; read-only views of a workspace that has no findings yet). */
export function openMemoryDb(): Db {
  const db = new (sqlite())(':memory:', addonOption());
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const from = schemaVersion(db);
  if (from > MIGRATIONS.length) throw new Error(`findings database has schema version ${from}, newer than this kqlite (${MIGRATIONS.length}); upgrade kqlite`);
  if (from === MIGRATIONS.length) return;
  db.transaction(() => {
    // a concurrent opener may have migrated while this one waited for the lock
    for (let v = schemaVersion(db); v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/**
 * The findings of a workspace that cannot be written (a read-only folder or file system): an in-memory copy
 * of its database (or an empty one), so a hunt still runs and reports and the server still shows findings,
 * and nothing is written. `readonly`: writes to the copy fail too (the server: triage cannot be kept).
 */
export function openFindingsCopy(workspaceDir: string, opts: { readonly?: boolean } = {}): Db {
  const file = insideWorkspace(workspaceDir, FINDINGS_FILE);
  if (!existsSync(file)) return openMemoryDb();
  const bytes = readFileSync(file);
  // a database in WAL mode says so in its header (bytes 18-19 = 2); in memory it is read as a plain one
  if (bytes.length > 19 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
  const db = new (sqlite())(bytes, { ...addonOption(), ...(opts.readonly ? { readonly: true } : {}) });
  if (!opts.readonly) migrate(db);
  return db;
}
