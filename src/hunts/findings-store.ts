/**
 * Findings in the database: merged across runs (one row per rule and result group; re-running a hunt
 * updates first/last seen, counts and evidence instead of adding rows), listed with filters, triaged with
 * an audit trail. Suppression is not stored on the finding: it is computed when read, so a new or expired
 * suppression applies at once and a suppressed finding is never deleted.
 */
import { audit } from './audit.js';
import type { Db } from './db.js';
import { mergeIds, stableId } from './grouping.js';
import { activeSuppressions, suppressionFor } from './suppressions.js';
import { EVIDENCE_SAMPLE, TRIAGE_STATUSES, type Finding, type HuntRule, type Observation, type TriageStatus } from './types.js';

interface FindingRow {
  id: string; rule_id: string; rule_name: string; tool: string | null; severity: string; group_key: string; key_json: string;
  device: string | null; user: string | null; signer: string | null; first_seen: string; last_seen: string; event_count: number;
  report_ids: string; sample: string; row: string; status: string; assignee: string | null;
  created_run: number; updated_run: number; seen_run: number | null; created_at: string; updated_at: string;
}

function fromRow(r: FindingRow): Finding {
  const f: Finding = {
    id: r.id, ruleId: r.rule_id, ruleName: r.rule_name, severity: r.severity as Finding['severity'], status: r.status as TriageStatus,
    key: JSON.parse(r.key_json), firstSeen: r.first_seen, lastSeen: r.last_seen, count: r.event_count,
    reportIds: JSON.parse(r.report_ids), sample: JSON.parse(r.sample), row: JSON.parse(r.row),
    createdRun: r.created_run, updatedRun: r.updated_run, createdAt: r.created_at, updatedAt: r.updated_at,
  };
  if (r.tool) f.tool = r.tool;
  if (r.device) f.device = r.device;
  if (r.user) f.user = r.user;
  if (r.signer) f.signer = r.signer;
  if (r.assignee) f.assignee = r.assignee;
  return f;
}

export function findingId(ruleId: string, groupKey: string): string {
  return stableId(ruleId, groupKey);
}

/** What a run's observation did to its finding. */
export type ObservationEffect = 'new' | 'updated' | 'unchanged';

/**
 * Inserts or merges one observation of run `runId`. 'new': no completed run had seen the finding (a row
 * left by a run that never completed, from before runs committed as a whole, counts as not seen);
 * 'updated': its evidence changed (times, counts, report ids, sample rows, the rule's name or severity);
 * 'unchanged': the same evidence again, which only records that this run saw it.
 */
export function upsertObservation(db: Db, rule: HuntRule, o: Observation, runId: number, at: string, completedRun: (id: number) => boolean): { id: string; effect: ObservationEffect } {
  const id = findingId(rule.id, o.groupKey);
  const old = db.prepare('SELECT * FROM findings WHERE id = ?').get(id) as FindingRow | undefined;
  const latest = o.rows[o.rows.length - 1] ?? {};
  if (!old) {
    db.prepare(`INSERT INTO findings (id, rule_id, rule_name, tool, severity, group_key, key_json, device, user, signer, first_seen, last_seen,
      event_count, report_ids, sample, row, status, created_run, updated_run, seen_run, created_at, updated_at)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'new', ?,?,?,?,?)`).run(
      id, rule.id, rule.name, rule.tool ?? null, rule.severity, o.groupKey, JSON.stringify(o.key), o.device ?? null, o.user ?? null, o.signer ?? null,
      o.firstSeen, o.lastSeen, o.count, JSON.stringify(o.reportIds), JSON.stringify(o.rows), JSON.stringify(latest), runId, runId, runId, at, at);
    return { id, effect: 'new' };
  }
  const ids = mergeIds(JSON.parse(old.report_ids), o.reportIds);
  // A rule's window slides between runs, so counts of two runs overlap: keep the largest window count,
  // or the number of distinct events known when that is larger.
  const count = Math.max(old.event_count, o.count, ids.length);
  const next = {
    rule_name: rule.name, tool: rule.tool ?? null, severity: rule.severity,
    first_seen: o.firstSeen < old.first_seen ? o.firstSeen : old.first_seen, last_seen: o.lastSeen > old.last_seen ? o.lastSeen : old.last_seen,
    event_count: count, report_ids: JSON.stringify(ids), sample: JSON.stringify(mergeSample(JSON.parse(old.sample), o.rows)), row: JSON.stringify(latest),
    device: o.device ?? old.device, user: o.user ?? old.user, signer: o.signer ?? old.signer,
  };
  const isNew = !completedRun(old.created_run);
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== old[k]);
  if (!isNew && !changed) {
    db.prepare('UPDATE findings SET seen_run = ? WHERE id = ?').run(runId, id);
    return { id, effect: 'unchanged' };
  }
  db.prepare(`UPDATE findings SET rule_name = ?, tool = ?, severity = ?, first_seen = ?, last_seen = ?, event_count = ?, report_ids = ?, sample = ?, row = ?,
    device = ?, user = ?, signer = ?, updated_run = ?, seen_run = ?, updated_at = ?, created_run = ? WHERE id = ?`).run(
    next.rule_name, next.tool, next.severity, next.first_seen, next.last_seen, next.event_count, next.report_ids, next.sample, next.row,
    next.device, next.user, next.signer, runId, runId, at, isNew ? runId : old.created_run, id);
  return { id, effect: isNew ? 'new' : 'updated' };
}

function mergeSample(old: Record<string, unknown>[], fresh: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set(old.map((r) => JSON.stringify(r)));
  const out = [...old];
  for (const r of fresh) {
    const k = JSON.stringify(r);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(r);
    }
  }
  return out.slice(-EVIDENCE_SAMPLE);
}

export interface FindingFilter {
  status?: string[];
  rule?: string;
  tool?: string;
  device?: string;
  severity?: string;
  since?: string;
  until?: string;
  suppressed?: boolean;
  run?: number;
}

/** Findings with their suppression state at `now`, newest activity first, ties by id (deterministic). */
export function listFindings(db: Db, filter: FindingFilter = {}, now = new Date().toISOString()): Finding[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.status?.length) {
    where.push(`status IN (${filter.status.map(() => '?').join(',')})`);
    args.push(...filter.status);
  }
  if (filter.rule) { where.push('(rule_id = ? OR rule_name = ?)'); args.push(filter.rule, filter.rule); }
  if (filter.tool) { where.push('lower(tool) = lower(?)'); args.push(filter.tool); }
  if (filter.device) { where.push('lower(device) = lower(?)'); args.push(filter.device); }
  if (filter.severity) { where.push('severity = ?'); args.push(filter.severity); }
  if (filter.since) { where.push('last_seen >= ?'); args.push(filter.since); }
  if (filter.until) { where.push('first_seen <= ?'); args.push(filter.until); }
  if (filter.run !== undefined) { where.push('coalesce(seen_run, updated_run) = ?'); args.push(filter.run); }
  const sql = `SELECT * FROM findings ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY last_seen DESC, id`;
  const sups = activeSuppressions(db, now);
  const out: Finding[] = [];
  for (const r of db.prepare(sql).all(...args) as FindingRow[]) {
    const f = fromRow(r);
    const s = suppressionFor(f, sups);
    if (s) f.suppressedBy = s.id;
    if (filter.suppressed !== undefined && filter.suppressed !== !!s) continue;
    out.push(f);
  }
  return out;
}

/**
 * The devices a rule's findings (or, for a rule about an RMM tool, the tool's) are on, as the data names them,
 * sorted: what a false-positive clause excluding sanctioned hosts should list.
 */
export function devicesSeen(db: Db, rule: { id: string; tool?: string }): string[] {
  const fs = listFindings(db, rule.tool ? { tool: rule.tool } : { rule: rule.id });
  return [...new Set(fs.flatMap((f) => (f.device ? [f.device] : [])))].sort();
}

export function getFinding(db: Db, id: string, now = new Date().toISOString()): Finding | undefined {
  const r = db.prepare('SELECT * FROM findings WHERE id = ? OR id LIKE ?').all(id, `${id}%`) as FindingRow[];
  if (r.length !== 1) return undefined;
  const f = fromRow(r[0]!);
  const s = suppressionFor(f, activeSuppressions(db, now));
  if (s) f.suppressedBy = s.id;
  return f;
}

export interface TriageChange {
  status?: string;
  assignee?: string;
  note?: string;
}

/** Applies a triage change (validated first; nothing is written when any part is invalid). */
export function triageFinding(db: Db, id: string, change: TriageChange, actor: string): Finding {
  const f = getFinding(db, id);
  if (!f) throw new Error(`no finding '${id}'`);
  if (change.status !== undefined && !TRIAGE_STATUSES.includes(change.status as TriageStatus)) {
    throw new Error(`status must be one of ${TRIAGE_STATUSES.join(', ')}, not '${change.status}'`);
  }
  if (change.note !== undefined && !change.note.trim()) throw new Error('a note needs text');
  const at = new Date().toISOString();
  db.transaction(() => {
    if (change.status !== undefined && change.status !== f.status) {
      db.prepare('UPDATE findings SET status = ?, updated_at = ? WHERE id = ?').run(change.status, at, f.id);
      audit(db, actor, 'finding', f.id, 'status', { from: f.status, to: change.status });
    }
    if (change.assignee !== undefined && change.assignee !== (f.assignee ?? '')) {
      db.prepare('UPDATE findings SET assignee = ?, updated_at = ? WHERE id = ?').run(change.assignee || null, at, f.id);
      audit(db, actor, 'finding', f.id, 'assignee', { from: f.assignee ?? null, to: change.assignee || null });
    }
    if (change.note !== undefined) {
      db.prepare('INSERT INTO notes (finding_id, at, author, text) VALUES (?,?,?,?)').run(f.id, at, actor, change.note);
      audit(db, actor, 'finding', f.id, 'note', { text: change.note });
    }
  })();
  return getFinding(db, f.id)!;
}

export function notesOf(db: Db, id: string): { at: string; author: string; text: string }[] {
  return db.prepare('SELECT at, author, text FROM notes WHERE finding_id = ? ORDER BY id').all(id) as { at: string; author: string; text: string }[];
}
