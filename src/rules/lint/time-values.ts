/**
 * Static values of the time expressions queries filter with: `ago(7d)`, `now()`, `now(-5d)`, `now() - 1h`,
 * `datetime(2026-01-01)`, and `let` names bound to them (`let lookback = 14d; ... ago(lookback)`), read off
 * the bound tree without running anything. Anything else (startofday(...), toscalar(...), parameters) is
 * "unknown": still a time bound, but one whose length lint cannot compare with a schedule.
 */
import type { BoundScript } from '../../kql/semantics/index.js';
import { parseTimespanText, type Expr } from '../../kql/syntax/index.js';

/** A point in time: `relative` ticks from now() (negative is the past), or an `absolute` datetime. */
export type TimePoint = { kind: 'relative'; ticks: bigint } | { kind: 'absolute'; ticks: bigint };

const TICKS_PER_SECOND = 10_000_000n;

/** A timespan's ticks, or undefined when `e` is not a constant timespan. */
export function timespanOf(bound: BoundScript, e: Expr, depth = 0): bigint | undefined {
  if (depth > 20) return undefined;
  switch (e.kind) {
    case 'Literal':
      return e.type === 'timespan' && typeof e.value === 'bigint' ? e.value : undefined;
    case 'ParenExpr':
      return timespanOf(bound, e.expr, depth + 1);
    case 'UnaryExpr': {
      const v = timespanOf(bound, e.operand, depth + 1);
      return v === undefined ? undefined : e.op === '-' ? -v : v;
    }
    case 'NameRef': {
      const let_ = letValue(bound, e);
      return let_ ? timespanOf(bound, let_, depth + 1) : undefined;
    }
    case 'BinaryExpr': {
      if (e.op !== '*' && e.op !== '+' && e.op !== '-') return undefined;
      const a = timespanOf(bound, e.left, depth + 1);
      const b = timespanOf(bound, e.right, depth + 1);
      if (e.op === '*') {
        const n = a !== undefined ? integerOf(e.right) : integerOf(e.left);
        const span = a ?? b;
        return span !== undefined && n !== undefined ? span * n : undefined;
      }
      if (a === undefined || b === undefined) return undefined;
      return e.op === '+' ? a + b : a - b;
    }
    case 'CallExpr': {
      const name = e.name.name.toLowerCase();
      const arg = e.args[0];
      if ((name === 'totimespan' || name === 'time') && arg?.kind === 'Literal' && typeof arg.value === 'string') return parseTimespanText(arg.value);
      return undefined;
    }
    default:
      return undefined;
  }
}

function integerOf(e: Expr): bigint | undefined {
  return e.kind === 'Literal' && (e.type === 'int' || e.type === 'long') && typeof e.value === 'number' && Number.isInteger(e.value) ? BigInt(e.value) : undefined;
}

/** The value expression of the `let` a name refers to (scalar lets only). */
function letValue(bound: BoundScript, e: Expr & { kind: 'NameRef' }): Expr | undefined {
  const ref = bound.refOf(e);
  if (ref?.kind !== 'let') return undefined;
  const v = ref.statement.value;
  return v.kind === 'FunctionDecl' ? undefined : v;
}

/** The point in time `e` stands for, or undefined when it cannot be read statically. */
export function timePointOf(bound: BoundScript, e: Expr, depth = 0): TimePoint | undefined {
  if (depth > 20) return undefined;
  switch (e.kind) {
    case 'Literal':
      return e.type === 'datetime' && typeof e.value === 'bigint' ? { kind: 'absolute', ticks: e.value } : undefined;
    case 'ParenExpr':
      return timePointOf(bound, e.expr, depth + 1);
    case 'NameRef': {
      const v = letValue(bound, e);
      return v ? timePointOf(bound, v, depth + 1) : undefined;
    }
    case 'CallExpr': {
      const name = e.name.name.toLowerCase();
      const arg = e.args[0];
      if (name === 'ago' && e.args.length === 1 && arg && arg.kind !== 'NamedArg') {
        const t = timespanOf(bound, arg, depth + 1);
        return t === undefined ? undefined : { kind: 'relative', ticks: -t };
      }
      if (name === 'now' && e.args.length === 0) return { kind: 'relative', ticks: 0n };
      if (name === 'now' && e.args.length === 1 && arg && arg.kind !== 'NamedArg') {
        const t = timespanOf(bound, arg, depth + 1);
        return t === undefined ? undefined : { kind: 'relative', ticks: t };
      }
      if ((name === 'todatetime' || name === 'datetime') && arg && arg.kind !== 'NamedArg') return timePointOf(bound, arg, depth + 1);
      return undefined;
    }
    case 'BinaryExpr': {
      if (e.op !== '+' && e.op !== '-') return undefined;
      const p = timePointOf(bound, e.left, depth + 1);
      const t = timespanOf(bound, e.right, depth + 1);
      if (p && t !== undefined) return { kind: p.kind, ticks: e.op === '+' ? p.ticks + t : p.ticks - t };
      if (e.op === '+') {
        const q = timePointOf(bound, e.right, depth + 1);
        const s = timespanOf(bound, e.left, depth + 1);
        if (q && s !== undefined) return { kind: q.kind, ticks: q.ticks + s };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A Sentinel schedule duration (`queryPeriod: 14d`, `queryFrequency: 1h`, also ISO 8601 `PT1H`, `P14D`) in
 * ticks, or undefined when it is not one.
 */
export function scheduleDuration(raw: unknown): bigint | undefined {
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const s = raw.trim();
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [d, h, m, sec] = [1, 2, 3, 4].map((i) => BigInt(iso[i] ?? '0')) as [bigint, bigint, bigint, bigint];
    return (((d * 24n + h) * 60n + m) * 60n + sec) * TICKS_PER_SECOND;
  }
  const t = parseTimespanText(s);
  return t !== undefined && t > 0n ? t : undefined;
}

/** Ticks as the shortest Kusto timespan literal: 14d, 90m, 36h, 45s. */
export function formatSpan(ticks: bigint): string {
  const abs = ticks < 0n ? -ticks : ticks;
  const units: [bigint, string][] = [[86_400n * TICKS_PER_SECOND, 'd'], [3_600n * TICKS_PER_SECOND, 'h'], [60n * TICKS_PER_SECOND, 'm'], [TICKS_PER_SECOND, 's']];
  for (const [size, unit] of units) if (abs % size === 0n && abs >= size) return `${abs / size}${unit}`;
  return `${abs}tick`;
}
