/**
 * Sentinel YAML: analytic rules (scheduled, NRT) and hunting queries become rules; ASIM and solution parser
 * files (`ParserQuery`/`FunctionQuery`) become stored functions; YAML with no rule fields is not a rule.
 */
import { ruleFromYaml } from '../from-yaml.js';
import { readRuleYaml } from '../sentinel-yaml.js';
import { referencesOf } from './safe-url.js';
import type { FileRead, ReadOptions } from './types.js';
import { functionsOfParserYaml } from './parser-yaml.js';

const PLACEHOLDER = /%%[A-Z0-9_]+%%/g;

/** `metadata.author.name` (Solutions content) or a top-level `author` (community files). */
function authorOf(fields: Record<string, unknown>): string | undefined {
  const meta = fields['metadata'] as { author?: { name?: unknown } } | undefined;
  const a = meta?.author?.name ?? fields['author'];
  if (typeof a === 'string' && a.trim()) return a.trim().slice(0, 200);
  if (Array.isArray(a)) return a.filter((x) => typeof x === 'string').join(', ').slice(0, 200) || undefined;
  return undefined;
}

export function readSentinelYaml(text: string, opts: ReadOptions): FileRead {
  const placeholders = [...new Set(text.match(PLACEHOLDER) ?? [])];
  if (placeholders.length) {
    const at = text.slice(0, text.search(PLACEHOLDER)).split('\n');
    return { kind: 'failed', problem: { line: at.length, column: at[at.length - 1]!.length + 1, reason: `a template, not a rule: it has unfilled placeholders ${placeholders.join(', ')}` } };
  }
  const read = readRuleYaml(text);
  if (!read.ok) return { kind: 'failed', problem: { line: read.problem.line, column: read.problem.column, reason: read.problem.conflict ? read.problem.message : `invalid YAML: ${read.problem.message}` } };
  const f = read.rule.fields;
  const fns = functionsOfParserYaml(f, opts.path);
  if (fns) return fns.length ? { kind: 'functions', functions: fns } : { kind: 'skipped', reason: 'a parser file without a usable function name or query' };
  if (!read.rule.query?.trim()) {
    if (f['id'] === undefined && f['name'] === undefined) return { kind: 'skipped', reason: 'not a rule: no id, name or query' };
    return { kind: 'failed', problem: { line: 1, column: 1, reason: "no query: the file has no 'query' field or it is empty" } };
  }
  if (!f['id']) return { kind: 'failed', problem: { line: 1, column: 1, reason: "no 'id': a rule needs a stable id to be imported and updated" } };
  const author = authorOf(f);
  const source = { ...opts.source, path: opts.path, ...(author ? { author } : {}) };
  const rule = ruleFromYaml(read.rule, text, source, opts.library ? { library: opts.library } : {});
  const refs = referencesOf(f['references'] ?? f['reference']);
  const notes = refs.dropped.map((d) => ({ line: 1, column: 1, reason: `reference '${d}' left out: only http and https links are shown` }));
  if (refs.urls.length) rule.references = refs.urls;
  return { kind: 'rules', rules: [rule], notes };
}
