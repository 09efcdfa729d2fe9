/**
 * Reading rule tests: a `tests:` list inside a rule file, or a sibling `<rule>.tests.yaml` holding
 * `tests:` (and optionally `rule:`, the rule file or rule id it tests). Every key and value keeps its file
 * position, so a problem (an unknown key, a value of the wrong type) and a failed expectation point at
 * file:line:column. Strict: an unknown key is an error, never ignored, so a misspelt expectation cannot pass
 * silently. Test files are data: nothing in them is executed.
 */
import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { lazyPackage } from '../../common/lazy-package.js';
import { parseDatetimeText } from '../../kql/syntax/index.js';

const yaml = lazyPackage<typeof Yaml>('yaml');
// yaml's node tests, as type guards, through the package loaded on first use
function isMap(n: unknown): n is YAMLMap { return yaml().isMap(n); }
function isScalar(n: unknown): n is Scalar { return yaml().isScalar(n); }
function isSeq(n: unknown): n is YAMLSeq { return yaml().isSeq(n); }

export interface Pos {
  file: string;
  line: number;
  column: number;
}

export interface TestProblem extends Pos {
  message: string;
}

/** A YAML value with the position of its node (and of each key, for mappings). */
export interface Located<T> {
  value: T;
  pos: Pos;
}

export interface InputRow {
  values: Record<string, unknown>;
  pos: Pos;
  keyPos: Record<string, Pos>;
}

/** Rows of one table: inline, or a file beside the test file read as that table. */
export interface TableInput {
  table: string;
  pos: Pos;
  rows?: InputRow[];
  file?: Located<string>;
}

export interface ExpectedRow {
  values: Record<string, unknown>;
  pos: Pos;
  keyPos: Record<string, Pos>;
}

export interface Expectations {
  fires?: Located<boolean>;
  rows?: Located<number>;
  findings?: Located<number>;
  columns?: Located<string[]>;
  contains?: ExpectedRow[];
  excludes?: ExpectedRow[];
}

export interface RuleTest {
  name: string;
  pos: Pos;
  asOf?: Located<bigint>;
  tables: TableInput[];
  /** Files ingested as `kqlite ingest` reads them (EVTX, exports named after their table). */
  files: Located<string>[];
  expect: Expectations;
  /** Problems of this test's definition: the test errors instead of running. */
  problems: TestProblem[];
}

export interface TestsDocument {
  /** `rule:` of a sibling file: a rule file path (relative to the test file) or a rule id. */
  rule?: Located<string>;
  tests: RuleTest[];
  /** Problems of the file as a whole (it cannot be read, `tests` is not a list). */
  problems: TestProblem[];
}

const TEST_KEYS = ['name', 'asOf', 'rows', 'files', 'expect', 'description'];
const EXPECT_KEYS = ['fires', 'rows', 'findings', 'columns', 'contains', 'excludes'];

export class YamlPositions {
  constructor(readonly file: string, private readonly lines: LineCounter) {}
  at(node: Node | null | undefined, fallback?: Pos): Pos {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? { file: this.file, line: 1, column: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }
}

/** The YAML documents of a file with a position finder; a syntax error is a problem at its place. */
export function parseYamlFile(file: string, text: string): { docs: Document.Parsed[]; where: YamlPositions; problems: TestProblem[] } {
  const lines = new (yaml().LineCounter)();
  const docs = yaml().parseAllDocuments(text, { lineCounter: lines, intAsBigInt: true, uniqueKeys: true });
  const where = new YamlPositions(file, lines);
  const problems: TestProblem[] = [];
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    for (const e of d.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      problems.push({ file, line, column: col, message: `cannot read the YAML: ${e.message.split('\n')[0]}` });
    }
  }
  return { docs: list, where, problems };
}

/** A node's plain value; collections through toJS with the document, which keeps bigints (toJSON rounds them). */
let currentDoc: Document.Parsed | undefined;
const plain = (n: unknown): unknown => (isScalar(n) ? n.value : isMap(n) || isSeq(n) ? n.toJS(currentDoc!) : n);

/** The `tests:` of a parsed document (a rule file with inline tests, or a sibling tests file). */
export function readTestsDocument(doc: Document.Parsed, where: YamlPositions, sibling: boolean): TestsDocument {
  const out: TestsDocument = { tests: [], problems: [] };
  currentDoc = doc;
  const root = doc.contents;
  if (!isMap(root)) {
    out.problems.push({ ...where.at(root), message: 'a tests file is a mapping with a `tests:` list' });
    return out;
  }
  if (sibling) {
    for (const pair of root.items) {
      const key = String(plain(pair.key));
      if (key !== 'tests' && key !== 'rule') out.problems.push({ ...where.at(pair.key as Node), message: `unknown key '${key}' in a tests file (expected tests, rule)` });
    }
    const rule = root.get('rule', true) as Node | undefined;
    if (rule !== undefined) {
      if (isScalar(rule) && typeof rule.value === 'string' && rule.value.trim()) out.rule = { value: rule.value.trim(), pos: where.at(rule) };
      else out.problems.push({ ...where.at(rule), message: '`rule:` names the rule file (beside this one) or the rule id it tests' });
    }
  }
  const tests = root.get('tests', true) as Node | undefined;
  if (tests === undefined) {
    if (sibling) out.problems.push({ ...where.at(root), message: 'a tests file needs a `tests:` list' });
    return out;
  }
  if (!isSeq(tests)) {
    out.problems.push({ ...where.at(tests), message: '`tests:` must be a list of tests' });
    return out;
  }
  tests.items.forEach((item, i) => out.tests.push(readTest(item as Node, i, where)));
  return out;
}

function readTest(node: Node, index: number, where: YamlPositions): RuleTest {
  const pos = where.at(node);
  const t: RuleTest = { name: `test ${index + 1}`, pos, tables: [], files: [], expect: {}, problems: [] };
  const problem = (n: Node | null | undefined, message: string) => t.problems.push({ ...where.at(n, pos), message });
  if (!isMap(node)) {
    problem(node, 'a test is a mapping with name, rows and expect');
    return t;
  }
  for (const pair of node.items) {
    const key = String(plain(pair.key));
    if (!TEST_KEYS.includes(key)) problem(pair.key as Node, `unknown key '${key}' in a test (expected ${TEST_KEYS.join(', ')})`);
  }
  const name = node.get('name', true) as Node | undefined;
  if (name !== undefined) {
    if (isScalar(name) && String(name.value).trim()) t.name = String(name.value).trim();
    else problem(name, '`name:` is the test\'s name (text)');
  }
  const asOf = node.get('asOf', true) as Node | undefined;
  if (asOf !== undefined) {
    const ticks = isScalar(asOf) ? parseDatetimeText(String(asOf.value)) : undefined;
    if (ticks === undefined) problem(asOf, '`asOf:` is a datetime (ISO 8601, e.g. 2026-11-20T12:00:00Z): now() for the rule');
    else t.asOf = { value: ticks, pos: where.at(asOf) };
  }
  readRows(node.get('rows', true) as Node | undefined, t, where);
  const files = node.get('files', true) as Node | undefined;
  if (files !== undefined) {
    const items = isSeq(files) ? (files.items as Node[]) : [files];
    for (const f of items) {
      if (isScalar(f) && typeof f.value === 'string' && f.value.trim()) t.files.push({ value: f.value.trim(), pos: where.at(f) });
      else problem(f, '`files:` lists files beside the test file (EVTX, exports named after their table)');
    }
  }
  const expect = node.get('expect', true) as Node | undefined;
  if (expect === undefined || !isMap(expect) || !expect.items.length) problem(expect ?? node, 'a test needs `expect:` with at least one of ' + EXPECT_KEYS.join(', '));
  else readExpect(expect, t, where);
  return t;
}

function readRows(rows: Node | undefined, t: RuleTest, where: YamlPositions): void {
  if (rows === undefined) return;
  if (!isMap(rows)) {
    t.problems.push({ ...where.at(rows, t.pos), message: '`rows:` maps table names to a list of rows or to a file beside the test file' });
    return;
  }
  for (const pair of rows.items) {
    const table = String(plain(pair.key));
    const pos = where.at(pair.key as Node, t.pos);
    const v = pair.value as Node | null;
    if (isScalar(v) && typeof v.value === 'string') {
      t.tables.push({ table, pos, file: { value: v.value.trim(), pos: where.at(v, pos) } });
    } else if (isSeq(v)) {
      t.tables.push({ table, pos, rows: (v.items as Node[]).map((r) => mapRow(r, where, t, `a row of ${table}`)).filter((r): r is InputRow => r !== undefined) });
    } else if (v === null || (isScalar(v) && v.value === null)) {
      t.tables.push({ table, pos, rows: [] });
    } else {
      t.problems.push({ ...where.at(v, pos), message: `rows of ${table}: a list of rows (column: value) or the name of a file beside the test file` });
    }
  }
}

function mapRow(node: Node, where: YamlPositions, t: RuleTest, what: string): InputRow | undefined {
  if (!isMap(node)) {
    t.problems.push({ ...where.at(node, t.pos), message: `${what} is a mapping of column names to values` });
    return undefined;
  }
  const values: Record<string, unknown> = {};
  const keyPos: Record<string, Pos> = {};
  for (const pair of (node as YAMLMap).items) {
    const k = String(plain(pair.key));
    values[k] = plain(pair.value);
    keyPos[k] = where.at(pair.key as Node, t.pos);
  }
  return { values, keyPos, pos: where.at(node, t.pos) };
}

function readExpect(expect: YAMLMap, t: RuleTest, where: YamlPositions): void {
  const e = t.expect;
  for (const pair of expect.items) {
    const key = String(plain(pair.key));
    const v = pair.value as Node | null;
    const pos = where.at(v ?? (pair.key as Node), t.pos);
    const bad = (message: string) => t.problems.push({ ...pos, message });
    const value = plain(v);
    switch (key) {
      case 'fires':
        if (typeof value === 'boolean') e.fires = { value, pos };
        else bad('`fires:` is true or false');
        break;
      case 'rows':
      case 'findings': {
        const n = typeof value === 'bigint' ? Number(value) : value;
        if (typeof n === 'number' && Number.isInteger(n) && n >= 0) e[key] = { value: n, pos };
        else bad(`\`${key}:\` is a whole number (how many result ${key === 'rows' ? 'rows' : 'findings'})`);
        break;
      }
      case 'columns':
        if (Array.isArray(value) && value.every((c) => typeof c === 'string')) e.columns = { value: value as string[], pos };
        else bad('`columns:` is a list of column names the result must have');
        break;
      case 'contains':
      case 'excludes':
        if (isSeq(v)) e[key] = (v.items as Node[]).map((r) => mapRow(r, where, t, `a row of expect.${key}`)).filter((r): r is ExpectedRow => r !== undefined);
        else bad(`\`${key}:\` is a list of rows (column: value; only the columns named are compared)`);
        break;
      default:
        t.problems.push({ ...where.at(pair.key as Node, t.pos), message: `unknown expectation '${key}' (expected ${EXPECT_KEYS.join(', ')})` });
    }
  }
}
