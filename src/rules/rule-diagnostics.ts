/**
 * Where a rule's diagnostics are in its file. A diagnostic is about the query (span into `rule.query`, placed
 * in the file through the `query:` block's position) or about a field of the definition (`field` set, span
 * into `rule.yaml`, found by `fieldSpan`): an unknown tactic is shown on its own line of `tactics:`, never at
 * the first character of the query. The CLI (`rules import/validate/show`) and the rule page both use these.
 */
import { renderLocated, type LocatedDiagnostic } from '../common/diagnostics.js';
import { LineMap, type Span } from '../common/span.js';
import type { Rule, RuleDiagnostic } from './rule.js';
import { queryPositionIn, queryToFile } from './sentinel-yaml.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The span of a top-level field of a rule file (its key), or of one of its values (`tactics:` items written
 * as a block list, a flow list `[a, b]` or a comma-separated string). Offsets are into `text` as stored (CRLF
 * and repairs change nothing here: the file's own text is searched). Undefined when the field is not written.
 */
export function fieldSpan(text: string, field: string, value?: string): Span | undefined {
  const lines: { start: number; text: string }[] = [];
  for (let start = 0; start <= text.length;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ start, text: text.slice(start, end).replace(/\r$/, '') });
    if (nl < 0) break;
    start = nl + 1;
  }
  const key = new RegExp(`^(\\uFEFF)?(['"]?)${escape(field)}\\2\\s*:`);
  const at = lines.findIndex((l) => key.test(l.text));
  if (at < 0) return undefined;
  const keyStart = lines[at]!.start + (lines[at]!.text.startsWith('\uFEFF') ? 1 : 0);
  const keySpan = { start: keyStart, end: keyStart + field.length };
  if (value === undefined || value === '') return keySpan;
  // any case: technique ids are upper-cased when read, whatever the file wrote
  const word = new RegExp(`(?<![\\w.])${escape(value)}(?![\\w.])`, 'i');
  // the field's own line after the colon, then the lines that belong to it (indented, list items, comments)
  for (let i = at; i < lines.length; i++) {
    const l = lines[i]!;
    if (i > at && l.text.trim() !== '' && !/^[\s#-]/.test(l.text)) break;
    const from = i === at ? l.text.indexOf(':') + 1 : 0;
    const m = word.exec(l.text.slice(from));
    if (m) return { start: l.start + from + m.index, end: l.start + from + m.index + value.length };
  }
  return keySpan;
}

function rangeIn(text: string, span: Span) {
  const map = new LineMap(text);
  const a = map.lineCol(span.start);
  const z = map.lineCol(span.end);
  return { line: a.line, column: a.column, endLine: z.line, endColumn: z.column };
}

/** One diagnostic at its line and column in the rule file (or, where the file cannot be placed, in the query). */
export function locateRuleDiagnostic(rule: Rule, d: RuleDiagnostic, file: string): LocatedDiagnostic & { inFile: boolean } {
  const base = { file, code: d.code, severity: d.severity, message: d.message, ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}) };
  if (d.field !== undefined) return { ...base, ...rangeIn(rule.yaml, d.span), inFile: true };
  const q = rangeIn(rule.query, d.span);
  const pos = rule.queryPosition ?? queryPositionIn(rule.yaml.replace(/\r\n?/g, '\n'));
  if (pos) {
    const a = queryToFile(pos, { line: q.line, column: q.column });
    const z = queryToFile(pos, { line: q.endLine, column: q.endColumn });
    // only when the file really holds the query there (a quoted or escaped query scalar does not map line for line)
    const fileLine = new LineMap(rule.yaml).lineText(a.line);
    const queryLine = new LineMap(rule.query).lineText(q.line);
    if (queryLine.trim() === '' || fileLine.includes(queryLine.trim())) return { ...base, line: a.line, column: a.column, endLine: z.line, endColumn: z.column, inFile: true };
  }
  return { ...base, ...q, inFile: false };
}

/** Every diagnostic rendered like a compiler's: `file:line:col: severity CODE: message`, the line, a caret. */
export function renderRuleDiagnostics(rule: Rule, diagnostics: readonly RuleDiagnostic[] = rule.diagnostics, file = rule.source.path ?? `${rule.id}.yaml`): string {
  return diagnostics.map((d) => renderRuleDiagnostic(rule, d, file)).join('\n\n');
}

export function renderRuleDiagnostic(rule: Rule, d: RuleDiagnostic, file = rule.source.path ?? `${rule.id}.yaml`): string {
  const at = locateRuleDiagnostic(rule, d, file);
  return at.inFile ? renderLocated(rule.yaml, at) : renderLocated(rule.query, { ...at, file: `${file} (query)` });
}
