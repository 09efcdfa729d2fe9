/** Past hunt runs, newest first: who ran them, when, at which reference time, and what they found. */
import type { Db } from './db.js';
import type { HuntSummary } from './run-hunt.js';

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt?: string;
  asOf: string;
  actor: string;
  outcome: string;
  ruleCount: number;
  /** The run's summary (absent while it runs, or when it died before finishing). */
  summary?: HuntSummary;
}

interface RunRow { id: number; started_at: string; finished_at: string | null; as_of: string; actor: string; rules: string; outcome: string; summary: string | null }

function fromRow(r: RunRow): RunRecord {
  const out: RunRecord = { id: r.id, startedAt: r.started_at, asOf: r.as_of, actor: r.actor, outcome: r.outcome, ruleCount: (JSON.parse(r.rules) as unknown[]).length };
  if (r.finished_at) out.finishedAt = r.finished_at;
  if (r.summary) out.summary = JSON.parse(r.summary) as HuntSummary;
  return out;
}

export function listRuns(db: Db, limit = 100): RunRecord[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(fromRow);
}

export function getRun(db: Db, id: number): RunRecord | undefined {
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return r ? fromRow(r) : undefined;
}
