/**
 * Queries kept as files (`.kql`, `.csl`, `.kusto`, and `.txt` when its text reads as KQL): one rule per
 * file, named from the file name, described by its leading `//` comment lines.
 */
import { parse } from '../../kql/syntax/index.js';
import { ruleFromQuery } from './from-query.js';
import type { FileRead, ReadOptions } from './types.js';

export function nameFromPath(path: string): string {
  const base = path.split('/').pop()!.replace(/\.[^.]+$/, '');
  return base.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim() || base;
}

/** Whether text is a KQL query rather than prose: it parses cleanly and has a pipe or a statement. */
export function readsAsKql(text: string): boolean {
  if (!/\|\s*\w|^\s*(let|union|datatable|print|range|search)\b/m.test(text)) return false;
  return !parse(text).diagnostics.some((d) => d.severity === 'error');
}

export function readKqlFile(text: string, opts: ReadOptions): FileRead {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const isTxt = /\.txt$/i.test(opts.path);
  if (!clean.trim()) return { kind: 'skipped', reason: 'empty file' };
  if (isTxt && !readsAsKql(clean)) return { kind: 'skipped', reason: 'not a KQL query (text that does not parse as KQL)' };
  const lead = /^(?:\s*\/\/[^\n]*\n)+/.exec(clean)?.[0] ?? '';
  const description = lead.split('\n').map((l) => l.replace(/^\s*\/\/\s?/, '').trim()).filter(Boolean).join(' ');
  const query = clean.replace(/\s+$/, '');
  return {
    kind: 'rules',
    notes: [],
    rules: [ruleFromQuery({ source: opts.source, path: opts.path, anchor: '', name: nameFromPath(opts.path), description, query, context: clean, definition: clean, ...(opts.library ? { library: opts.library } : {}) })],
  };
}
