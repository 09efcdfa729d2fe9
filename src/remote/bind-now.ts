/**
 * `now()` fixed at a reference time on engines that take no `query_now` (the Log Analytics and Defender
 * APIs): each call of the built-in `now()` and `ago(x)` in the query text is replaced by the reference time
 * as a datetime literal, found by kqlite's own parser (so text inside strings and comments is untouched).
 * `now(offset)` becomes `(datetime(T) + (offset))`, `ago(x)` becomes `(datetime(T) - (x))`. A query that
 * defines its own function named now or ago is left alone and reported.
 */
import { formatDatetime } from '../engine/values/ticks.js';
import { parse, walk, type CallExpr } from '../kql/syntax/index.js';
import type { AnyTreeNode } from '../kql/syntax/walk.js';

export interface BoundNow {
  text: string;
  /** How many calls were replaced. */
  replaced: number;
  /** Why the query was left as it was, when it was. */
  skipped?: string;
}

export function bindNow(text: string, now: bigint): BoundNow {
  const { script, diagnostics } = parse(text);
  if (diagnostics.some((d) => d.severity === 'error')) return { text, replaced: 0, skipped: 'the query does not parse' };
  const calls: CallExpr[] = [];
  let shadowed = false;
  for (const st of script.statements) {
    walk(st as AnyTreeNode, (n) => {
      if (n.kind === 'LetStatement') {
        const name = (n as unknown as { name: { name: string } }).name.name.toLowerCase();
        if (name === 'now' || name === 'ago') shadowed = true;
      }
      if (n.kind === 'CallExpr') {
        const c = n as unknown as CallExpr;
        const name = c.name.name.toLowerCase();
        if ((name === 'now' && c.args.length <= 1) || (name === 'ago' && c.args.length === 1)) calls.push(c);
      }
    });
  }
  if (shadowed) return { text, replaced: 0, skipped: 'the query defines its own now or ago' };
  const literal = `datetime(${formatDatetime(now)})`;
  // innermost calls are replaced as part of their parent's argument text, so only outermost ones are rewritten
  const outer = calls.filter((c) => !calls.some((o) => o !== c && o.span.start <= c.span.start && o.span.end >= c.span.end));
  let out = text;
  for (const c of [...outer].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, c.span.start) + rewrite(text, c, literal, now) + out.slice(c.span.end);
  }
  return { text: out, replaced: calls.length };
}

function rewrite(text: string, c: CallExpr, literal: string, now: bigint): string {
  const arg = c.args[0];
  const argText = arg ? bindNow(text.slice(arg.span.start, arg.span.end), now).text : undefined;
  if (c.name.name.toLowerCase() === 'ago') return `(${literal} - (${argText}))`;
  return argText === undefined ? literal : `(${literal} + (${argText}))`;
}
