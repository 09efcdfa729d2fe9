/**
 * The findings database schema, as numbered migrations applied in order. SQLite's `user_version` records
 * the last one applied, so opening an older workspace upgrades it in place inside one transaction (a failed
 * upgrade leaves the file as it was). To change the schema: append a migration; never edit a shipped one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, findings, notes, audit log, suppressions
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, as_of TEXT NOT NULL, actor TEXT NOT NULL,
     rules TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT 'running', summary TEXT);
   CREATE TABLE findings (
     id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, rule_name TEXT NOT NULL, tool TEXT, severity TEXT NOT NULL,
     group_key TEXT NOT NULL, key_json TEXT NOT NULL, device TEXT, user TEXT, signer TEXT,
     first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, event_count INTEGER NOT NULL,
     report_ids TEXT NOT NULL, sample TEXT NOT NULL, row TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'new', assignee TEXT,
     created_run INTEGER NOT NULL REFERENCES runs(id), updated_run INTEGER NOT NULL REFERENCES runs(id),
     created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE INDEX findings_rule ON findings(rule_id);
   CREATE INDEX findings_device ON findings(device);
   CREATE TABLE notes (id INTEGER PRIMARY KEY, finding_id TEXT NOT NULL REFERENCES findings(id), at TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL);
   CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
   CREATE TABLE suppressions (
     id INTEGER PRIMARY KEY, target TEXT NOT NULL, target_kind TEXT NOT NULL CHECK (target_kind IN ('tool','rule')),
     device TEXT, user TEXT, signer TEXT, reason TEXT NOT NULL CHECK (length(trim(reason)) > 0), expires TEXT,
     created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);`,
  // 2: who runs a run (so a run whose process died is ended by the next open, not left 'running'), why a
  // run failed, and the last run that saw a finding (updated_run is now the last run that changed it)
  `ALTER TABLE runs ADD COLUMN pid INTEGER;
   ALTER TABLE runs ADD COLUMN host TEXT;
   ALTER TABLE runs ADD COLUMN process_started TEXT;
   ALTER TABLE runs ADD COLUMN error TEXT;
   ALTER TABLE findings ADD COLUMN seen_run INTEGER REFERENCES runs(id);
   UPDATE findings SET seen_run = updated_run;
   CREATE INDEX findings_seen_run ON findings(seen_run);`,
];
