/** The audit log: every triage and suppression change, who made it and when. */
import type { Db } from './db.js';

export function audit(db: Db, actor: string, entity: string, entityId: string, action: string, detail: unknown): void {
  db.prepare('INSERT INTO audit (at, actor, entity, entity_id, action, detail) VALUES (?,?,?,?,?,?)').run(new Date().toISOString(), actor, entity, entityId, action, JSON.stringify(detail));
}

export function auditOf(db: Db, entityId: string): { at: string; actor: string; action: string; detail: unknown }[] {
  return (db.prepare('SELECT at, actor, action, detail FROM audit WHERE entity_id = ? ORDER BY id').all(entityId) as { at: string; actor: string; action: string; detail: string }[]).map((r) => ({ ...r, detail: JSON.parse(r.detail) }));
}
