/**
 * Which text Run sends. As in Kusto's own tools, an editor holds several queries separated by blank lines;
 * with nothing selected Run takes the block of non-blank lines around the cursor, with a selection it takes
 * the selection. The server's diagnostics are about the text it was sent, so they are moved back by where
 * that text starts in the editor.
 */
import type { ApiDiagnostic } from '../../server/api.js';

export interface QueryPart {
  text: string;
  /** Offset of `text` in the whole editor text. */
  start: number;
}

const isBlank = (line: string) => line.trim() === '';

/**
 * The block of non-blank lines holding `offset`. On a blank line: the block just above, else the one just
 * below (the cursor usually rests after the query just typed). Empty text when the editor holds no query.
 */
export function queryBlockAt(text: string, offset: number): QueryPart {
  const lines = text.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  let row = 0;
  while (row + 1 < lines.length && starts[row + 1]! <= offset) row++;
  if (isBlank(lines[row]!)) {
    let up = row;
    while (up >= 0 && isBlank(lines[up]!)) up--;
    if (up >= 0) row = up;
    else {
      let down = row;
      while (down < lines.length && isBlank(lines[down]!)) down++;
      if (down === lines.length) return { text: '', start: 0 };
      row = down;
    }
  }
  let first = row;
  while (first > 0 && !isBlank(lines[first - 1]!)) first--;
  let last = row;
  while (last + 1 < lines.length && !isBlank(lines[last + 1]!)) last++;
  const start = starts[first]!;
  const end = starts[last]! + lines[last]!.length;
  return { text: text.slice(start, end), start };
}

/** The text Run sends: the selection when there is one (start < end), else the block at the cursor. */
export function queryToRun(text: string, selection: { start: number; end: number }): QueryPart {
  if (selection.end > selection.start && text.slice(selection.start, selection.end).trim() !== '') {
    return { text: text.slice(selection.start, selection.end), start: selection.start };
  }
  return queryBlockAt(text, selection.start);
}

/** Diagnostics about `part` restated against the whole editor text: offsets, line and column. */
export function diagnosticsInEditor(whole: string, part: QueryPart, diagnostics: readonly ApiDiagnostic[]): ApiDiagnostic[] {
  if (part.start === 0) return [...diagnostics];
  const before = whole.slice(0, part.start);
  const linesBefore = before.split('\n').length - 1;
  const columnShift = part.start - (before.lastIndexOf('\n') + 1);
  return diagnostics.map((d) => ({
    ...d,
    start: d.start + part.start,
    end: d.end + part.start,
    line: d.line + linesBefore,
    // only the part's first line starts mid-line (a selection); later lines start at column 1 either way
    column: d.line === 1 ? d.column + columnShift : d.column,
  }));
}
