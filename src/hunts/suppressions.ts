/**
 * Scoped suppressions ("this tool is sanctioned on these devices, for this reason, until then"). A
 * suppression names a tool or a rule and optionally narrows it to devices (name or glob), a user and a code
 * signer; every field given must match. Expired or revoked suppressions stop applying; nothing is deleted.
 */
import type { Db } from './db.js';
import { audit } from './audit.js';
import type { Finding, Suppression } from './types.js';

interface SuppressionRow {
  id: number; target: string; target_kind: 'tool' | 'rule'; device: string | null; user: string | null; signer: string | null;
  reason: string; expires: string | null; created_at: string; created_by: string; revoked_at: string | null;
}

function fromRow(r: SuppressionRow): Suppression {
  const s: Suppression = { id: r.id, target: r.target, targetKind: r.target_kind, reason: r.reason, createdAt: r.created_at, createdBy: r.created_by };
  if (r.device) s.device = r.device;
  if (r.user) s.user = r.user;
  if (r.signer) s.signer = r.signer;
  if (r.expires) s.expires = r.expires;
  if (r.revoked_at) s.revokedAt = r.revoked_at;
  return s;
}

/** Case-insensitive glob (`*`, `?`) compiled to an anchored test without regex backtracking hazards. */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  // iterative wildcard matching, O(|p|·|t|) worst case
  let pi = 0, ti = 0, star = -1, mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) { pi++; ti++; }
    else if (pi < p.length && p[pi] === '*') { star = pi++; mark = ti; }
    else if (star >= 0) { pi = star + 1; ti = ++mark; }
    else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** What `kqlite allow` asks for: a suppression before it is stored and stamped. */
export type NewSuppression = Omit<Suppression, 'id' | 'createdAt' | 'createdBy' | 'revokedAt'>;

export function addSuppression(db: Db, s: NewSuppression, actor: string): Suppression {
  if (!s.reason?.trim()) throw new Error('a suppression needs a reason (--reason TEXT): say why this use is sanctioned');
  if (!s.target.trim()) throw new Error('a suppression needs a tool or rule to allow');
  const at = new Date().toISOString();
  const id = db.transaction(() => {
    const r = db.prepare(`INSERT INTO suppressions (target, target_kind, device, user, signer, reason, expires, created_at, created_by)
      VALUES (?,?,?,?,?,?,?,?,?)`).run(s.target, s.targetKind, s.device ?? null, s.user ?? null, s.signer ?? null, s.reason.trim(), s.expires ?? null, at, actor);
    const newId = Number(r.lastInsertRowid);
    audit(db, actor, 'suppression', String(newId), 'create', s);
    return newId;
  })();
  return listSuppressions(db).find((x) => x.id === id)!;
}

export function revokeSuppression(db: Db, id: number, actor: string, reason: string): void {
  const r = db.prepare('UPDATE suppressions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id);
  if (!r.changes) throw new Error(`no active suppression #${id} (kqlite allow --list shows them)`);
  audit(db, actor, 'suppression', String(id), 'revoke', { reason });
}

export function listSuppressions(db: Db): Suppression[] {
  return (db.prepare('SELECT * FROM suppressions ORDER BY id').all() as SuppressionRow[]).map(fromRow);
}

export function isActive(s: Suppression, now: string): boolean {
  return !s.revokedAt && (!s.expires || s.expires > now);
}

export function activeSuppressions(db: Db, now: string): Suppression[] {
  return listSuppressions(db).filter((s) => isActive(s, now));
}

export function suppressionMatches(s: Suppression, f: Pick<Finding, 'ruleId' | 'ruleName' | 'tool' | 'device' | 'user' | 'signer'>): boolean {
  const targetOk = s.targetKind === 'tool'
    ? !!f.tool && f.tool.toLowerCase() === s.target.toLowerCase()
    : s.target === f.ruleId || globMatch(s.target, f.ruleName);
  if (!targetOk) return false;
  if (s.device && !(f.device && globMatch(s.device, f.device))) return false;
  if (s.user && !(f.user && globMatch(s.user, f.user))) return false;
  if (s.signer && !(f.signer && globMatch(s.signer, f.signer))) return false;
  return true;
}

export function suppressionFor(f: Pick<Finding, 'ruleId' | 'ruleName' | 'tool' | 'device' | 'user' | 'signer'>, active: readonly Suppression[]): Suppression | undefined {
  return active.find((s) => suppressionMatches(s, f));
}
