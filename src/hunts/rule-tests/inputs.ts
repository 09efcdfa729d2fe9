/**
 * A test's input rows in a workspace of their own: a fresh temporary workspace (in memory where the system has a
 * tmpfs) filled by the same ingest as
 * `kqlite ingest` (inline rows are written as NDJSON of their table first), so values are coerced exactly as
 * real exports are and EVTX files land in the tables a real ingest puts them in. Before anything is
 * ingested, inline rows are checked against the table schemas: an unknown table or column, or a value the
 * column's type cannot hold, is a problem at its file:line:column, never a silent pass. Columns a row leaves
 * out are typed nulls of the schema (ingest fills them). Files are checked after ingest: columns outside the
 * schema, tables without one and records set aside are problems naming the file and line.
 */
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { jsonText } from '../../engine/values/json.js';
import { CoercionError, coerce } from '../../ingest/coerce.js';
import { ingestPaths, readQuarantine, Workspace, type FileReport } from '../../ingest/index.js';
import type { Catalog, TableSchema } from '../../kql/semantics/index.js';
import type { HuntSource } from '../types.js';
import type { Pos, RuleTest, TestProblem } from './test-file.js';

export interface PreparedInputs {
  source: HuntSource;
  problems: TestProblem[];
  /** Removes the temporary workspace. */
  close(): void;
}

/** The closest name by case (a table or column spelt with other capitals), for the message. */
function caseTwin(name: string, names: Iterable<string>): string | undefined {
  const l = name.toLowerCase();
  for (const n of names) if (n.toLowerCase() === l) return n;
  return undefined;
}

export function unknownTable(name: string, catalog: Catalog): string {
  const twin = caseTwin(name, catalog.tables.keys());
  return `unknown table '${name}'${twin ? ` (did you mean '${twin}'? table names are case-sensitive)` : ' (not a Defender XDR or Sentinel table, nor one of --schema)'}`;
}

export function unknownColumn(table: TableSchema, column: string): string {
  const twin = caseTwin(column, table.columns.map((c) => c.name));
  return `unknown column '${column}' in ${table.name}${twin ? ` (did you mean '${twin}'?)` : ` (its schema has ${table.columns.length} columns; see kqlite tables or the schema reference)`}`;
}

/** Checks inline rows; returns each table's NDJSON text (the rows as written) when they are all sound. */
function inlineRows(test: RuleTest, catalog: Catalog, problems: TestProblem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const input of test.tables) {
    if (!input.rows) continue;
    const schema = catalog.tables.get(input.table);
    if (!schema) {
      problems.push({ ...input.pos, message: unknownTable(input.table, catalog) });
      continue;
    }
    const lines = out.get(input.table) ?? [];
    out.set(input.table, lines);
    const types = new Map(schema.columns.map((c) => [c.name, c.type]));
    for (const row of input.rows) {
      let sound = true;
      for (const [k, v] of Object.entries(row.values)) {
        const type = types.get(k);
        const at: Pos = row.keyPos[k] ?? row.pos;
        if (!type) {
          problems.push({ ...at, message: unknownColumn(schema, k) });
          sound = false;
          continue;
        }
        try {
          coerce(v, type, k);
        } catch (e) {
          if (!(e instanceof CoercionError)) throw e;
          problems.push({ ...at, message: `${input.table}: ${e.message}` });
          sound = false;
        }
      }
      if (sound) lines.push(jsonText(row.values));
    }
  }
  return out;
}

/** Where in an input file a column first appears (NDJSON: its key on a line; CSV: the header cell). */
function columnPosition(file: string, column: string): { line: number; column: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { line: 1, column: 1 };
  }
  const lines = text.split('\n');
  const key = JSON.stringify(column);
  for (let i = 0; i < lines.length && i < 100_000; i++) {
    const at = lines[i]!.indexOf(key);
    if (at >= 0) return { line: i + 1, column: at + 1 };
    if (i === 0 && /\.csv$/i.test(file)) {
      const cells = lines[0]!.split(',');
      let col = 1;
      for (const c of cells) {
        if (c.replace(/^"|"\s*$|\r$/g, '') === column) return { line: 1, column: col };
        col += c.length + 1;
      }
    }
  }
  return { line: 1, column: 1 };
}

const WINDOWS_FORMATS = new Set(['evtx', 'windows-json']);
const PROVENANCE_COLUMNS = new Set(['SourceFile', 'SourceRecordId']);

function fileProblems(ws: Workspace, report: FileReport, shownAs: string, pos: Pos, catalog: Catalog): TestProblem[] {
  const out: TestProblem[] = [];
  const at = (line: number, column: number): Pos => ({ file: shownAs, line, column });
  if (report.refused) out.push({ ...pos, message: `${shownAs}: cannot be read: ${report.refused}` });
  for (const t of report.inferredTables) out.push({ ...pos, message: `${shownAs}: ${unknownTable(t, catalog)}` });
  for (const [table, columns] of Object.entries(report.extraColumns)) {
    const schema = catalog.tables.get(table);
    if (!schema || report.inferredTables.includes(table)) continue;
    for (const c of columns) {
      // Windows event logs carry kqlite's provenance columns (which file, which record): not the user's doing
      if (WINDOWS_FORMATS.has(report.format ?? '') && PROVENANCE_COLUMNS.has(c)) continue;
      const p = columnPosition(report.file, c);
      out.push({ ...at(p.line, p.column), message: unknownColumn(schema, c) });
    }
  }
  if (report.quarantined) {
    const entries = readQuarantine(ws, { file: report.file }).slice(0, 5);
    for (const e of entries) out.push({ ...at(Number(e['line'] ?? 1), 1), message: `record set aside by ingest: ${String(e['reason'])}` });
    if (report.quarantined > entries.length) out.push({ ...pos, message: `${shownAs}: ${report.quarantined} records set aside in all` });
  }
  return out;
}

const SHM = '/dev/shm';
const SHM_MAX_INPUT = 16 * 1024 * 1024;

/**
 * Where a test's workspace goes: in memory (tmpfs at /dev/shm, where Linux has one) when the inputs are small,
 * else the system's temporary folder. A workspace commits with fsync; on a disk that is most of a small test's
 * time (about 100 ms against 4 ms), and a test's workspace never needs to survive a crash.
 */
function scratchFolder(inputBytes: number): string {
  if (inputBytes <= SHM_MAX_INPUT) {
    try {
      accessSync(SHM, constants.W_OK);
      if (statSync(SHM).isDirectory()) return SHM;
    } catch {
      // no tmpfs here: the temporary folder
    }
  }
  return tmpdir();
}

/**
 * A HuntSource over the test's workspace that also holds, empty, every table the rule reads and the test gave
 * no rows for (so "does not fire without rows" is a real run, not a skipped rule).
 */
class TestSource implements HuntSource {
  constructor(private readonly ws: HuntSource, private readonly empty: Map<string, TableSchema>) {}
  tableNames(): string[] {
    const own = this.ws.tableNames();
    return [...own, ...[...this.empty.keys()].filter((t) => !own.includes(t))];
  }
  schema(name: string): TableSchema | undefined {
    return this.ws.schema(name) ?? this.empty.get(name);
  }
  scan(name: string, range?: Parameters<HuntSource['scan']>[1]) {
    return this.ws.schema(name) ? this.ws.scan(name, range) : [];
  }
  maxTimestamp(): bigint | undefined {
    return this.ws.maxTimestamp();
  }
  snapshot(): HuntSource {
    const s = this.ws.snapshot?.();
    return s && s !== this.ws ? new TestSource(s, this.empty) : this;
  }
}

/** Whether `real` (a real path) lies inside one of `roots` (their real paths). */
function insideRoots(real: string, roots: readonly string[]): boolean {
  return roots.some((r) => {
    const rel = relative(realpathSync(r), real);
    return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
  });
}

/** Ingests the test's rows and files into a new temporary workspace. `testFile` locates relative file names. */
export async function prepareInputs(test: RuleTest, testFile: string, ruleTables: readonly string[], catalog: Catalog): Promise<PreparedInputs> {
  const problems: TestProblem[] = [];
  const inline = inlineRows(test, catalog, problems);
  const base = dirname(resolve(testFile));
  const files: { path: string; shownAs: string; pos: Pos; table?: string }[] = [];
  const wanted = (name: string, pos: Pos, table?: string) => {
    const path = resolve(base, name);
    if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push({ ...pos, message: `no such input file: ${name} (looked for ${path})` });
      return;
    }
    // a test file comes with the rules (a pull request, a cloned repository): its inputs are files of that
    // repository, never `/proc/self/environ` or `~/.ssh/id_rsa` shown back as result rows in a CI log
    if (!insideRoots(realpathSync(path), [base, process.cwd()])) {
      problems.push({ ...pos, message: `input file ${name} is outside the test's folder and the working directory (links followed): tests read only the files of their repository` });
      return;
    }
    files.push({ path, shownAs: join(dirname(testFile), name), pos, ...(table ? { table } : {}) });
  };
  for (const t of test.tables) {
    if (!t.file) continue;
    if (!catalog.tables.has(t.table)) problems.push({ ...t.pos, message: unknownTable(t.table, catalog) });
    else wanted(t.file.value, t.file.pos, t.table);
  }
  for (const f of test.files) wanted(f.value, f.pos);
  const dir = mkdtempSync(join(scratchFolder(files.reduce((n, f) => n + statSync(f.path).size, 0)), 'kqlite-test-'));
  const close = () => rmSync(dir, { recursive: true, force: true });
  try {
    const ws = Workspace.open(join(dir, 'workspace'), { create: true });
    if (!problems.length) {
      for (const [table, lines] of inline) {
        if (!lines.length) continue;
        const file = join(dir, `${table}.ndjson`);
        writeFileSync(file, lines.join('\n') + '\n');
        files.push({ path: file, shownAs: `${testFile} (rows of ${table})`, pos: test.pos, table });
      }
      for (const f of files) {
        const report = await ingestPaths(ws, [f.path], { workers: 1, force: true, ...(f.table ? { table: f.table } : {}) });
        for (const r of report.files) problems.push(...fileProblems(ws, r, f.shownAs, f.pos, catalog));
      }
    }
    const empty = new Map<string, TableSchema>();
    for (const t of [...ruleTables, ...test.tables.map((x) => x.table)]) {
      const schema = catalog.tables.get(t);
      if (schema) empty.set(t, schema);
    }
    return { source: new TestSource(ws, empty), problems, close };
  } catch (e) {
    close();
    throw e;
  }
}
