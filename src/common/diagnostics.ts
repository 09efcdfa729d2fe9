import { LineMap, type Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * A diagnostic is a value, never an exception: every layer (scanner, parser, binder, engine, ingest, rules)
 * reports problems this way so callers can keep going and count what was set aside.
 * `code` is stable (e.g. KQL1001) so tests and users can match on it.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Optional replacement text a tool may offer (e.g. the nearest column name). */
  suggestion?: string;
}

export function diag(code: string, severity: Severity, message: string, span: Span, suggestion?: string): Diagnostic {
  return suggestion === undefined ? { code, severity, message, span } : { code, severity, message, span, suggestion };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** A diagnostic placed in a file: what `kqlite check --format json` prints. */
export interface LocatedDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
  suggestion?: string;
}

/**
 * Places diagnostics of a text embedded in a file (e.g. a YAML `query: |` block) at file positions.
 * `lineOffset`/`columnOffset` shift from the embedded text to the file (0 for a plain .kql file).
 */
export function locate(
  file: string,
  text: string,
  diags: readonly Diagnostic[],
  lineOffset = 0,
  columnOffset = 0,
): LocatedDiagnostic[] {
  const map = new LineMap(text);
  return diags.map((d) => {
    const a = map.lineCol(d.span.start);
    const b = map.lineCol(d.span.end);
    const out: LocatedDiagnostic = {
      file,
      line: a.line + lineOffset,
      column: a.column + columnOffset,
      endLine: b.line + lineOffset,
      endColumn: b.column + columnOffset,
      code: d.code,
      severity: d.severity,
      message: d.message,
    };
    if (d.suggestion !== undefined) out.suggestion = d.suggestion;
    return out;
  });
}

/** Longest source line shown whole; a longer one (a 10 KB one-line query) is shown around the span. */
const MAX_SHOWN = 160;

/**
 * The source line as shown (tabs as spaces, a window with `…` on a long line), its caret underline, and where
 * the span is in the shown text (`start`..`end`, 0-based, end exclusive: for highlighting it instead).
 */
export function excerpt(src: string, column: number, width: number): { text: string; caret: string; start: number; end: number } {
  const line = src.replace(/\t/g, ' ');
  if (line.length <= MAX_SHOWN) {
    const start = Math.min(column - 1, line.length);
    return { text: line, caret: `${' '.repeat(column - 1)}${'^'.repeat(width)}`, start, end: Math.min(line.length, start + width) };
  }
  const from = Math.max(0, Math.min(column - 1 - 60, line.length - MAX_SHOWN));
  const to = Math.min(line.length, from + MAX_SHOWN);
  const lead = from > 0 ? '…' : '';
  const text = lead + line.slice(from, to) + (to < line.length ? '…' : '');
  const at = column - 1 - from;
  const shownWidth = Math.max(1, Math.min(width, to - from - at));
  return { text, caret: ' '.repeat(lead.length + at) + '^'.repeat(shownWidth), start: lead.length + at, end: Math.min(text.length, lead.length + at + shownWidth) };
}

/**
 * Renders like a compiler: `file:line:col: severity CODE: message`, the source line, and a caret
 * underline under the span (clipped to the first line of a multi-line span).
 */
export function renderDiagnostic(file: string, text: string, d: Diagnostic, map = new LineMap(text)): string {
  const a = map.lineCol(d.span.start);
  const b = map.lineCol(d.span.end);
  const src = map.lineText(a.line);
  const width = b.line === a.line ? Math.max(1, b.column - a.column) : Math.max(1, src.length - a.column + 1);
  const gutter = String(a.line).length;
  const shown = excerpt(src, a.column, width);
  const lines = [
    `${file}:${a.line}:${a.column}: ${d.severity} ${d.code}: ${d.message}`,
    `${' '.repeat(gutter)} |`,
    `${a.line} | ${shown.text}`,
    `${' '.repeat(gutter)} | ${shown.caret}`,
  ];
  if (d.suggestion !== undefined) lines.push(`${' '.repeat(gutter)} = did you mean '${d.suggestion}'?`);
  return lines.join('\n');
}

export function renderDiagnostics(file: string, text: string, diags: readonly Diagnostic[]): string {
  const map = new LineMap(text);
  return diags.map((d) => renderDiagnostic(file, text, d, map)).join('\n\n');
}

/** Renders an already-located diagnostic against the full text of its file (same layout as renderDiagnostic). */
export function renderLocated(fileText: string, d: LocatedDiagnostic, map = new LineMap(fileText)): string {
  const src = map.lineText(d.line);
  const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, src.length - d.column + 1);
  const gutter = String(d.line).length;
  const shown = excerpt(src, Math.max(1, d.column), width);
  const lines = [
    `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`,
    `${' '.repeat(gutter)} |`,
    `${d.line} | ${shown.text}`,
    `${' '.repeat(gutter)} | ${shown.caret}`,
  ];
  if (d.suggestion !== undefined) lines.push(`${' '.repeat(gutter)} = did you mean '${d.suggestion}'?`);
  return lines.join('\n');
}
