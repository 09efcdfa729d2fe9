/**
 * Turning lint codes off. On the command line (`kqlite check --disable LINT010,LINT040`), for a whole rule
 * file with a YAML comment (`# kqlite-disable: LINT001`), and for one query with a KQL comment
 * (`// kqlite-disable: LINT010, LINT011`), which also works in a .kql file. `all` turns every lint code off.
 * Comments are read as text on purpose: they are not part of the query's tree, and YAML drops them.
 */
import { lintCode } from './codes.js';

const DIRECTIVE = /(?:^|\s)(?:#|\/\/)\s*kqlite-disable\s*:\s*([A-Za-z0-9_, ]+)/gm;

/** The codes a file or query turns off with `kqlite-disable:` comments (upper-cased; `ALL` for all). */
export function disabledIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(DIRECTIVE)) for (const c of m[1]!.split(/[,\s]+/)) if (c) out.add(c.toUpperCase());
  return out;
}

/** The codes of a `--disable` value; unknown ones are an error (a typo must not silently disable nothing). */
export function parseDisableOption(values: readonly string[]): { codes: Set<string>; unknown: string[] } {
  const codes = new Set<string>();
  const unknown: string[] = [];
  for (const v of values.flatMap((x) => x.split(','))) {
    const c = v.trim().toUpperCase();
    if (!c) continue;
    if (c === 'ALL' || lintCode(c)) codes.add(c);
    else unknown.push(v.trim());
  }
  return { codes, unknown };
}

export function isDisabled(code: string, ...sets: ReadonlySet<string>[]): boolean {
  return sets.some((s) => s.has(code) || (s.has('ALL') && code.startsWith('LINT')));
}
