/**
 * One marker per problem. The editor gets markers from two sources: the Kusto language service (in the
 * browser, while typing) and the server's diagnostics (after Run). Both often report the same problem on the
 * same text, a misspelt column say, which would draw two squiggles and list two messages in the hover.
 *
 * The rule: where a server marker overlaps a language-service marker and is at least as severe, the server's
 * wins and the language service's is not shown. The server's diagnostics are the engine's own verdict, with
 * its exact codes, messages and suggestions; the language service's are only a forecast of it. A language-
 * service marker the server says nothing about stays (syntax while typing, other query blocks), and so does a
 * more severe one under a milder server marker (a server info must not hide an error).
 *
 * Pure and free of monaco, so it is unit-tested in Node; editor.ts applies it.
 */

/** A marker's place and severity, as monaco has them: 1-based lines and columns, end exclusive. */
export interface MarkerPlace {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  /** monaco's MarkerSeverity: Hint 1, Info 2, Warning 4, Error 8 (larger is more severe). */
  severity: number;
}

/** The language service's markers left to show next to the server's ones. */
export function languageServiceMarkersToShow<T extends MarkerPlace>(languageService: readonly T[], server: readonly MarkerPlace[]): T[] {
  if (server.length === 0) return [...languageService];
  return languageService.filter((m) => !server.some((s) => s.severity >= m.severity && overlaps(s, m)));
}

/**
 * Whether two ranges share text. An empty range (monaco draws it under the character it stands before, or the
 * word there) counts as that one character; ranges that only touch at an edge do not overlap.
 */
export function overlaps(a: MarkerPlace, b: MarkerPlace): boolean {
  const [aStart, aEnd] = span(a);
  const [bStart, bEnd] = span(b);
  return before(aStart, bEnd) && before(bStart, aEnd);
}

/** Whether two lists hold the same markers (place, severity, message, code), in any order. */
export function sameMarkers(a: readonly (MarkerPlace & Described)[], b: readonly (MarkerPlace & Described)[]): boolean {
  if (a.length !== b.length) return false;
  const keys = a.map(key).sort();
  const other = b.map(key).sort();
  return keys.every((k, i) => k === other[i]);
}

interface Described {
  message: string;
  code?: string | { value: string } | undefined;
}

type Position = readonly [line: number, column: number];

function span(m: MarkerPlace): [Position, Position] {
  const start: Position = [m.startLineNumber, m.startColumn];
  const end: Position = [m.endLineNumber, m.endColumn];
  return before(start, end) ? [start, end] : [start, [m.startLineNumber, m.startColumn + 1]];
}

function before(a: Position, b: Position): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

function key(m: MarkerPlace & Described): string {
  const code = typeof m.code === 'object' ? m.code.value : m.code ?? '';
  return JSON.stringify([m.startLineNumber, m.startColumn, m.endLineNumber, m.endColumn, m.severity, m.message, code]);
}
