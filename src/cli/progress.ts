/**
 * The one-line progress display of long commands (`kqlite ingest`): bytes done of the total, records per
 * second and an estimate of the time left, redrawn in place on stderr at most ten times a second. Only on a
 * terminal: piped or redirected output never gets carriage-return lines.
 */
import { thousands } from './shared.js';

export interface ProgressSnapshot {
  bytesDone: number;
  bytesTotal: number;
  records: number;
  elapsedMs: number;
  /** What is being worked on (a file name), shown last and cut first. */
  label?: string;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, three significant digits: `950 B`, `12.3 MB`, `1.20 GB`. */
export function formatBytes(n: number): string {
  let u = 0;
  while (n >= 1000 && u < UNITS.length - 1) {
    n /= 1000;
    u++;
  }
  return u === 0 ? `${n} B` : `${n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)} ${UNITS[u]}`;
}

/** `45s`, `3m05s`, `2h07m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line, at most `width` characters. The ETA needs a second of history to mean anything. */
export function formatProgress(p: ProgressSnapshot, width = 100): string {
  const secs = p.elapsedMs / 1000;
  const pct = p.bytesTotal ? Math.min(100, Math.floor((100 * p.bytesDone) / p.bytesTotal)) : 100;
  const rate = secs > 0 ? Math.round(p.records / secs) : 0;
  const eta = secs >= 1 && p.bytesDone > 0 ? formatDuration(((p.bytesTotal - p.bytesDone) * p.elapsedMs) / p.bytesDone) : '?';
  const line = `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)} (${pct}%)  ${thousands(rate)} rows/s  ETA ${eta}`;
  if (!p.label || line.length + 2 >= width) return line.slice(0, width);
  const room = width - line.length - 2;
  return `${line}  ${p.label.length > room ? '…' + p.label.slice(p.label.length - room + 1) : p.label}`;
}

/** Redraws one line on a terminal stream, throttled. */
export class ProgressLine {
  private last = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: { write(s: string): unknown; columns?: number },
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  update(p: ProgressSnapshot): void {
    const t = this.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    this.out.write(`\r${formatProgress(p, (this.out.columns ?? 100) - 1)}\x1b[K`);
    this.drawn = true;
  }

  /** Erases the line (before the command prints its report). */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
