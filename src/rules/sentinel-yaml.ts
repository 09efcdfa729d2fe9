/**
 * Lenient reading of Sentinel rule YAML (hunting queries and analytic rules). Upstream files are often
 * malformed; known defects are repaired by named, pure text→text repairs applied only when the strict
 * parse fails and kept only when the repaired text parses. What was repaired is recorded on the result.
 * Rule files are data: nothing in them is ever executed.
 */
import type * as Yaml from 'yaml';
import { lazyPackage } from '../common/lazy-package.js';
import type { LineCol } from '../common/span.js';

const yaml = lazyPackage<typeof Yaml>('yaml');

export interface Repair {
  id: string;
  reason: string;
}

export interface YamlProblem {
  line: number;
  column: number;
  message: string;
  /** Set when the file has git merge-conflict markers (not a YAML syntax problem). */
  conflict?: boolean;
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

/**
 * A block sequence written one or more columns LEFT of the key that owns it, inside a list item:
 *     - connectorId: X
 *       dataTypes:
 *      - T               <- left of 'dataTypes', so YAML reads it as a new item of the outer list
 * The items move to the key's indentation (a sequence may sit at its key's column).
 */
const SEQUENCE_UNDER_INDENTED: TextRepair = {
  id: 'sequence-under-indented',
  reason: "the items of a list (e.g. under 'dataTypes:') were indented left of their key",
  apply(text) {
    const lines = text.split('\n');
    for (let i = 0; i + 1 < lines.length; i++) {
      const m = /^( +)[A-Za-z]\w*:\s*$/.exec(lines[i]!);
      if (!m) continue;
      const key = m[1]!.length;
      // the owning list item's dash is two columns left of a key that continues an item
      const item = /^( *)- /.exec(lines[i - 1] ?? '');
      if (!item || item[1]!.length + 2 !== key) continue;
      for (let k = i + 1; k < lines.length; k++) {
        const d = /^( *)- /.exec(lines[k]!);
        if (!d || d[1]!.length <= item[1]!.length || d[1]!.length >= key) break;
        lines[k] = ' '.repeat(key) + lines[k]!.trimStart();
      }
    }
    return lines.join('\n');
  },
};

/** Top-level fields of Sentinel hunting queries and analytic rules (they end an unindented query block). */
const RULE_FIELDS = ['id', 'name', 'description', 'severity', 'requiredDataConnectors', 'queryFrequency', 'queryPeriod', 'triggerOperator',
  'triggerThreshold', 'tactics', 'relevantTechniques', 'techniques', 'subTechniques', 'tags', 'query', 'entityMappings', 'customDetails',
  'alertDetailsOverride', 'eventGroupingSettings', 'incidentConfiguration', 'version', 'kind', 'metadata', 'status', 'sentinelEntitiesMappings'];
const TOP_LEVEL_FIELD = new RegExp(`^(${RULE_FIELDS.join('|')}):`);

/**
 * `query: |` whose lines start at column 0: YAML ends the block at once, and the KQL becomes garbage keys.
 * The lines up to the next known rule field are indented into the block (the query text is unchanged).
 */
const QUERY_BLOCK_UNINDENTED: TextRepair = {
  id: 'query-block-unindented',
  reason: "the query under 'query: |' was not indented",
  apply(text) {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => /^query:\s*[|>][-+]?\s*$/.test(l));
    if (i < 0) return text;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (j >= lines.length || /^\s/.test(lines[j]!)) return text;
    for (let k = j; k < lines.length && !TOP_LEVEL_FIELD.test(lines[k]!); k++) if (lines[k]!.trim() !== '') lines[k] = '  ' + lines[k];
    return lines.join('\n');
  },
};

const REPAIRS: TextRepair[] = [DATATYPES_INDENT, SEQUENCE_UNDER_INDENTED, QUERY_BLOCK_UNINDENTED];

/** Lines that begin with a git merge-conflict marker: the file holds two versions and no repair can choose. */
function conflictMarkers(text: string): { line: number; marker: string }[] {
  const out: { line: number; marker: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /^(<{7}|={7}|>{7})(?: |$)/.exec(l);
    if (m) out.push({ line: i + 1, marker: m[1]! });
  });
  return out;
}

/**
 * The repairs that make `text` parse: each alone first, then all that change the text together, pruned
 * to those still needed. Undefined when nothing helps.
 */
function findRepairs(text: string): { text: string; parsed: ReturnType<typeof tryParse>; used: TextRepair[] } | undefined {
  const applicable = REPAIRS.filter((r) => r.apply(text) !== text);
  for (const r of applicable) {
    const fixed = r.apply(text);
    const parsed = tryParse(fixed);
    if (!parsed.problem) return { text: fixed, parsed, used: [r] };
  }
  if (applicable.length < 2) return undefined;
  const applyAll = (rs: TextRepair[]) => rs.reduce((t, r) => r.apply(t), text);
  let used = applicable;
  if (tryParse(applyAll(used)).problem) return undefined;
  for (const r of applicable) {
    const without = used.filter((x) => x !== r);
    if (!tryParse(applyAll(without)).problem) used = without;
  }
  const fixed = applyAll(used);
  return { text: fixed, parsed: tryParse(fixed), used };
}

function tryParse(text: string): { value?: Record<string, unknown>; problem?: YamlProblem; doc?: ReturnType<typeof Yaml.parseDocument> } {
  try {
    const doc = yaml().parseDocument(text, { prettyErrors: true, uniqueKeys: false });
    const err = doc.errors[0];
    if (err) {
      const pos = (err.linePos?.[0] ?? { line: 1, col: 1 }) as { line: number; col: number };
      return { problem: { line: pos.line, column: pos.col, message: plainYamlMessage(err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')) } };
    }
    const value = doc.toJS() as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { problem: { line: 1, column: 1, message: 'expected a YAML mapping of rule fields (id, name, query, ...)' } };
    }
    return { value: value as Record<string, unknown>, doc };
  } catch (e) {
    // the YAML library recurses per nesting level: a pathological file ends here, as a problem of the file
    return { problem: { line: 1, column: 1, message: plainYamlMessage((e as Error).message) } };
  }
}

/** The YAML library's words, except the JavaScript engine's own (a stack overflow is deep nesting). */
function plainYamlMessage(message: string): string {
  return /call stack/i.test(message) ? 'nested too deeply to read (thousands of levels of [ or {)' : message;
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
  const markers = conflictMarkers(text);
  if (markers.length) {
    const where = markers.map((m) => `${m.marker} at line ${m.line}`).join(', ');
    return { ok: false, problem: { line: markers[0]!.line, column: 1, message: `unresolved merge-conflict markers (${where}): the file holds two versions; resolve the conflict (kqlite will not pick a side)`, conflict: true }, repairs };
  }
  // repairs only add indentation, so the query's lines and its indentation in the file are read from this text
  const fileText = text;
  let parsed = tryParse(text);
  if (parsed.problem) {
    const fix = findRepairs(text);
    if (!fix) return { ok: false, problem: parsed.problem, repairs };
    text = fix.text;
    parsed = fix.parsed;
    for (const r of fix.used) repairs.push({ id: r.id, reason: r.reason });
  }
  const fields = parsed.value!;
  const rule: RawRule = { fields, tables: tablesOf(fields), repairs };
  if (typeof fields['query'] === 'string') {
    rule.query = fields['query'];
    const pos = queryPositionIn(fileText);
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
export function queryPositionIn(text: string): { line: number; indent: number } | undefined {
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
