/**
 * Hunt runs: recording one (who runs it, so that a run whose process dies is not left 'running'), ending
 * it, and the past runs, newest first: who ran them, when, at which reference time, what they found.
 */
import { currentProcess, stillRunning } from '../common/process-identity.js';
import type { Db } from './db.js';
import type { HuntSummary } from './run-hunt.js';

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt?: string;
  asOf: string;
  actor: string;
  outcome: string;
  /** Why the run failed (a failed or interrupted run). */
  error?: string;
  ruleCount: number;
  /** The run's summary (absent while it runs, or when it died before finishing). */
  summary?: HuntSummary;
}

interface RunRow {
  id: number; started_at: string; finished_at: string | null; as_of: string; actor: string; rules: string; outcome: string; summary: string | null;
  pid: number | null; host: string | null; process_started: string | null; error: string | null;
}

export const INTERRUPTED = 'interrupted: its process ended before the run completed; its findings were not kept (the next hunt reports them)';

/** A 'running' run whose process is gone (killed, crashed, the machine restarted). */
function isInterrupted(r: RunRow): boolean {
  if (r.outcome !== 'running') return false;
  // a run recorded before runs named their process: it cannot be running in this kqlite any more
  if (r.pid === null) return true;
  return !stillRunning({ pid: r.pid, host: r.host ?? '', started: r.process_started ?? '' });
}

function fromRow(r: RunRow): RunRecord {
  const interrupted = isInterrupted(r);
  const out: RunRecord = { id: r.id, startedAt: r.started_at, asOf: r.as_of, actor: r.actor, outcome: interrupted ? 'failed' : r.outcome, ruleCount: (JSON.parse(r.rules) as unknown[]).length };
  if (r.finished_at) out.finishedAt = r.finished_at;
  if (interrupted) out.error = INTERRUPTED;
  else if (r.error) out.error = r.error;
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

/** Records a run as running, in this process. */
export function startRun(db: Db, run: { startedAt: string; asOf: string; actor: string; ruleIds: string[] }): number {
  const me = currentProcess();
  return Number(db.prepare('INSERT INTO runs (started_at, as_of, actor, rules, pid, host, process_started) VALUES (?,?,?,?,?,?,?)')
    .run(run.startedAt, run.asOf, run.actor, JSON.stringify(run.ruleIds), me.pid, me.host, me.started).lastInsertRowid);
}

/** Ends a run that did not complete (its findings were never committed), with the reason. Best effort. */
export function failRun(db: Db, id: number, reason: string): void {
  try {
    db.prepare("UPDATE runs SET outcome = 'failed', finished_at = ?, error = ? WHERE id = ? AND outcome = 'running'").run(new Date().toISOString(), reason, id);
  } catch {
    // the database itself failed (the reason the run is failing, often): the next open ends the run
  }
}

/** Marks the runs whose process is gone as failed (on every open for writing). */
export function endInterruptedRuns(db: Db): number {
  const dead = (db.prepare("SELECT * FROM runs WHERE outcome = 'running'").all() as RunRow[]).filter(isInterrupted);
  const end = db.prepare("UPDATE runs SET outcome = 'failed', finished_at = ?, error = ? WHERE id = ? AND outcome = 'running'");
  const at = new Date().toISOString();
  for (const r of dead) end.run(at, INTERRUPTED, r.id);
  return dead.length;
}
