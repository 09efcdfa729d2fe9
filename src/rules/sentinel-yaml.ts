/**
 * Lenient reading of Sentinel rule YAML (hunting queries and analytic rules). Upstream files are often
 * malformed; known defects are repaired by named, pure text→text repairs applied only when the strict
 * parse fails and kept only when the repaired text parses. What was repaired is recorded on the result.
 * Rule files are data: nothing in them is ever executed.
 */
import { parseDocument } from 'yaml';
import type { LineCol } from '../common/span.js';

export interface Repair {
  id: string;
  reason: string;
}

export interface YamlProblem {
  line: number;
  column: number;
  message: string;
}

export interface RawRule {
  /** The parsed top-level mapping (plain JSON values). */
  fields: Record<string, unknown>;
  query?: string;
  /** Where the query text starts in the file: line (1-based) of its first line and the block's indentation. */
  queryPosition?: { line: number; indent: number };
  /** Tables from requiredDataConnectors[].dataTypes. */
  tables: string[];
  repairs: Repair[];
}

export type ReadResult = { ok: true; rule: RawRule } | { ok: false; problem: YamlProblem; repairs: Repair[] };

interface TextRepair extends Repair {
  apply(text: string): string;
}

/**
 * `dataTypes:` written at the indentation of the sequence dash instead of under its item:
 *     requiredDataConnectors:
 *         - connectorId: X
 *         dataTypes:            <- should be indented two more, into the item
 *             - T
 * Every one of the upstream RMM rule files has this.
 */
const DATATYPES_INDENT: TextRepair = {
  id: 'datatypes-indentation',
  reason: "'dataTypes:' was indented at the level of the '- connectorId' dash instead of inside the list item",
  apply(text) {
    const lines = text.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const m = /^(\s*)dataTypes:\s*$/.exec(lines[i]!);
      if (!m) continue;
      const indent = m[1]!.length;
      // find the item line above: `<indent>- key:`
      let j = i - 1;
      while (j >= 0 && lines[j]!.trim() === '') j--;
      if (j < 0 || !new RegExp(`^ {${indent}}- \\w+:`).test(lines[j]!)) continue;
      lines[i] = ' '.repeat(indent + 2) + lines[i]!.trimStart();
      for (let k = i + 1; k < lines.length; k++) {
        const l = lines[k]!;
        if (l.trim() === '') continue;
        const ind = /^ */.exec(l)![0].length;
        if (ind <= indent) break;
        lines[k] = '  ' + l;
      }
    }
    return lines.join('\n');
  },
};

const REPAIRS: TextRepair[] = [DATATYPES_INDENT];

function tryParse(text: string): { value?: Record<string, unknown>; problem?: YamlProblem; doc?: ReturnType<typeof parseDocument> } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const pos = (err.linePos?.[0] ?? { line: 1, col: 1 }) as { line: number; col: number };
    return { problem: { line: pos.line, column: pos.col, message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') } };
  }
  const value = doc.toJS() as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: { line: 1, column: 1, message: 'expected a YAML mapping of rule fields (id, name, query, ...)' } };
  }
  return { value: value as Record<string, unknown>, doc };
}

/** Reads a rule file's text. Never throws: an unreadable file gives a problem with line and column. */
export function readRuleYaml(original: string): ReadResult {
  const repairs: Repair[] = [];
  let text = original;
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
    repairs.push({ id: 'crlf-line-endings', reason: 'CRLF line endings normalised to LF' });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed = tryParse(text);
  if (parsed.problem) {
    const first = parsed.problem;
    for (const r of REPAIRS) {
      const fixed = r.apply(text);
      if (fixed === text) continue;
      const again = tryParse(fixed);
      if (!again.problem) {
        text = fixed;
        parsed = again;
        repairs.push({ id: r.id, reason: r.reason });
        break;
      }
    }
    if (parsed.problem) return { ok: false, problem: first, repairs };
  }
  const fields = parsed.value!;
  const rule: RawRule = { fields, tables: tablesOf(fields), repairs };
  if (typeof fields['query'] === 'string') {
    rule.query = fields['query'];
    const pos = queryPosition(text);
    if (pos) rule.queryPosition = pos;
  }
  return { ok: true, rule };
}

function tablesOf(fields: Record<string, unknown>): string[] {
  const out: string[] = [];
  const conns = fields['requiredDataConnectors'];
  if (Array.isArray(conns)) {
    for (const c of conns) {
      const dt = (c as { dataTypes?: unknown })?.dataTypes;
      if (Array.isArray(dt)) for (const t of dt) if (typeof t === 'string' && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

/** The first line of the `query:` block scalar and its indentation (to map query positions to the file). */
function queryPosition(text: string): { line: number; indent: number } | undefined {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^query:/.test(l));
  if (i < 0) return undefined;
  if (/^query:\s*[|>]/.test(lines[i]!)) {
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    return { line: j + 1, indent: /^ */.exec(lines[j] ?? '')![0].length };
  }
  const m = /^query:\s*(['"]?)/.exec(lines[i]!)!;
  return { line: i + 1, indent: m[0].length };
}

/** Maps a position inside the query text to the file (block scalars strip a fixed indentation). */
export function queryToFile(pos: { line: number; indent: number }, at: LineCol): LineCol {
  return { line: pos.line + at.line - 1, column: at.column + pos.indent };
}
