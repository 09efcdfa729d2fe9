/**
 * Opens the workspace's findings database (`findings.sqlite`), applying pending migrations. WAL mode lets
 * the web server read while a hunt writes.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export const FINDINGS_FILE = 'findings.sqlite';

export function openFindingsDb(workspaceDir: string, opts: { readonly?: boolean } = {}): Db {
  if (!existsSync(workspaceDir)) {
    if (opts.readonly) throw new Error(`no workspace at ${workspaceDir}`);
    mkdirSync(workspaceDir, { recursive: true });
  }
  const file = insideWorkspace(workspaceDir, FINDINGS_FILE);
  if (opts.readonly && !existsSync(file)) return openMemoryDb();
  const db = new Database(file, opts.readonly ? { readonly: true, fileMustExist: true } : {});
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  }
  return db;
}

/** An empty, migrated in-memory database (tests; read-only views of a workspace that has no findings yet). */
export function openMemoryDb(): Db {
  const db = new Database(':memory:');
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
    for (let v = from; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
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
  const db = new Database(bytes, opts.readonly ? { readonly: true } : {});
  if (!opts.readonly) migrate(db);
  return db;
}
