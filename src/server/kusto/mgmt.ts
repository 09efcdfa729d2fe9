/**
 * The management commands Kusto tools send (`POST /v1/rest/mgmt`), answered from the workspace: `.show
 * version`, `.show databases`, `.show tables`, `.show table T schema as json|cslschema`, `.show database D
 * schema as json`, `.show functions`, `.show function F`; and the two a `kqlite export` into this server
 * needs: `.create-merge table T (col:type, ...)` and `.ingest inline into table T <| csv rows`. Anything else
 * is refused by name.
 */
import type { ScalarTypeName } from '../../engine/values/value.js';
import { normaliseTypeName } from '../../kql/syntax/index.js';
import { DEFENDER_TABLES } from '../../kql/semantics/index.js';
import { tableNameProblem } from '../../store/manifest.js';
import { jsonText, SYSTEM_TYPE } from './kusto-json.js';
import { KustoRequestError } from './kusto-errors.js';
import type { V1Table } from './response-v1.js';

export interface MgmtColumn { name: string; type: ScalarTypeName }

/** What the commands read and change: the one database a kqlite server holds. */
export interface MgmtTarget {
  database: string;
  version: string;
  /** Tables with data (or created) in the workspace, with their schemas. */
  tables(): { name: string; columns: MgmtColumn[] }[];
  /** Stored functions (none unless the workspace defines some). */
  functions(): { name: string; parameters: string; body: string; folder: string; docString: string }[];
  createMerge(table: string, columns: MgmtColumn[]): Promise<void>;
  ingestInline(table: string, csv: string): Promise<{ rows: number; quarantined: number }>;
}

const bad = (message: string) => new KustoRequestError(400, 'General_BadRequest', message);

/** Words and names of a command, with `['quoted names']`, `(lists)` kept as tokens. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(\[\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*\]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[A-Za-z_.$][\w.$-]*|\d+|[(),:=*]|\S)/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[1] !== undefined) out.push(m[1]);
  return out;
}

/** A name token: `T`, `['T']`, `["T"]`, `'T'`. */
function nameOf(tok: string | undefined, what: string): string {
  if (tok === undefined) throw bad(`the command needs a ${what} name`);
  const q = /^\[\s*(['"])(.*)\1\s*\]$/.exec(tok) ?? /^(['"])(.*)\1$/.exec(tok);
  const name = q ? q[2]!.replace(/\\(.)/g, '$1') : tok;
  if (!/^[A-Za-z_][\w]*$/.test(name) && !q) throw bad(`'${tok}' is not a ${what} name`);
  return name;
}

const str = (cols: V1Table['columns'], rows: unknown[][]): V1Table => ({ columns: cols, rowsJson: jsonText(rows) });
const S = (name: string): MgmtColumn => ({ name, type: 'string' });

function databaseSchemaJson(t: MgmtTarget): string {
  const tables: Record<string, unknown> = {};
  const entry = (name: string, columns: MgmtColumn[], doc?: string) => ({
    Name: name, EntityType: 'Table', OrderedColumns: columns.map((c) => ({ Name: c.name, Type: SYSTEM_TYPE[c.type], CslType: c.type })), ...(doc ? { DocString: doc } : {}),
  });
  const present = new Set<string>();
  for (const x of t.tables()) {
    tables[x.name] = entry(x.name, x.columns);
    present.add(x.name.toLowerCase());
  }
  // The engine knows the Defender tables even where the workspace holds none of their rows (they query as empty).
  for (const d of DEFENDER_TABLES) {
    if (!d.name || present.has(d.name.toLowerCase())) continue;
    tables[d.name] = entry(d.name, d.columns.map((c) => ({ name: c.name, type: c.type as ScalarTypeName })), 'Defender XDR table: no rows in this workspace');
  }
  const functions: Record<string, unknown> = {};
  for (const f of t.functions()) functions[f.name] = { Name: f.name, InputParameters: [], Body: f.body, Folder: f.folder, DocString: f.docString, FunctionKind: 'Unknown', OutputColumns: [] };
  return jsonText({
    Plugins: [],
    Databases: { [t.database]: { Name: t.database, Tables: tables, ExternalTables: {}, MaterializedViews: {}, EntityGroups: {}, MajorVersion: 1, MinorVersion: 0, Functions: functions, DatabaseAccessMode: 'ReadWrite' } },
  });
}

function tableSchemaJson(name: string, columns: MgmtColumn[]): string {
  return jsonText({ Name: name, OrderedColumns: columns.map((c) => ({ Name: c.name, Type: SYSTEM_TYPE[c.type], CslType: c.type })) });
}

function findTable(t: MgmtTarget, name: string): { name: string; columns: MgmtColumn[] } {
  const hit = t.tables().find((x) => x.name === name) ?? t.tables().find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!hit) throw new KustoRequestError(400, 'BadRequest_EntityNotFound', `Table '${name}' was not found in database '${t.database}'`);
  return hit;
}

function checkDatabase(t: MgmtTarget, name: string): void {
  if (name.toLowerCase() !== t.database.toLowerCase()) throw new KustoRequestError(400, 'BadRequest_EntityNotFound', `Database '${name}' was not found (this server holds '${t.database}')`);
}

/** `(a:string, b:long, ...)` of a create command. */
function columnList(toks: string[], at: number): MgmtColumn[] {
  if (toks[at] !== '(') throw bad('expected the column list: (name:type, ...)');
  const cols: MgmtColumn[] = [];
  let i = at + 1;
  while (toks[i] !== ')') {
    const name = nameOf(toks[i], 'column');
    if (toks[i + 1] !== ':') throw bad(`column '${name}' needs a type (name:type)`);
    const type = normaliseTypeName(toks[i + 2] ?? '');
    if (!type) throw bad(`'${toks[i + 2] ?? ''}' is not a column type`);
    cols.push({ name, type });
    i += 3;
    if (toks[i] === ',') i++;
    else if (toks[i] !== ')') throw bad(`expected ',' or ')' after column '${name}'`);
  }
  if (i !== toks.length - 1) throw bad(`unexpected '${toks[i + 1]}' after the column list`);
  return cols;
}

export async function runCommand(text: string, target: MgmtTarget): Promise<V1Table> {
  const csl = text.trim();
  // `.ingest inline`: the data follows `<|` verbatim, so split it off before tokenizing
  const inline = /^\.ingest\s+inline\s+into\s+table\s+(\S+?)(?:\s+with\s*\(([^)]*)\))?\s*<\|\s?([\s\S]*)$/i.exec(csl);
  if (inline) {
    const table = nameOf(inline[1], 'table');
    const fmt = /format\s*=\s*['"]?(\w+)/i.exec(inline[2] ?? '')?.[1]?.toLowerCase();
    if (fmt && fmt !== 'csv') throw bad(`.ingest inline: kqlite reads the csv format only, not '${fmt}'`);
    findTable(target, table);
    const r = await target.ingestInline(table, inline[3]!);
    return str([{ name: 'ExtentId', type: 'guid' }, { name: 'ItemLoaded', type: 'string' }, { name: 'Duration', type: 'timespan' }, { name: 'HasErrors', type: 'bool' }, { name: 'OperationId', type: 'guid' }, { name: 'RowCount', type: 'long' }, { name: 'Quarantined', type: 'long' }],
      [[null, 'inline', '00:00:00', r.quarantined > 0, null, r.rows, r.quarantined]]);
  }
  const toks = tokens(csl);
  const words = toks.map((t) => t.toLowerCase());
  const is = (...w: string[]) => w.every((x, i) => words[i] === x);
  if (is('.show', 'version') && toks.length === 2) {
    return str([S('BuildVersion'), { name: 'BuildTime', type: 'datetime' }, S('ServiceType'), S('ProductVersion'), S('ServiceOffering')],
      [[target.version, null, 'kqlite', `kqlite ${target.version}`, jsonText({ Type: 'kqlite' })]]);
  }
  if ((is('.show', 'databases') && toks.length === 2) || (is('.show', 'cluster', 'databases') && toks.length === 3)) {
    return str([S('DatabaseName'), S('PersistentStorage'), S('Version'), { name: 'IsCurrent', type: 'bool' }, S('DatabaseAccessMode'), S('PrettyName'), { name: 'DatabaseId', type: 'guid' }, S('InTransitionTo'), S('SuspensionState')],
      [[target.database, '', 'v1.0', true, 'ReadWrite', '', null, '', '']]);
  }
  if (is('.show', 'tables')) {
    let list = target.tables();
    if (toks.length > 2) {
      if (toks[2] !== '(' || toks[toks.length - 1] !== ')') throw bad('.show tables takes an optional list: .show tables (T1, T2)');
      const names = toks.slice(3, -1).filter((t) => t !== ',').map((t) => nameOf(t, 'table'));
      list = names.map((n) => findTable(target, n));
    }
    return str([S('TableName'), S('DatabaseName'), S('Folder'), S('DocString')], list.map((t) => [t.name, target.database, '', '']));
  }
  if (is('.show', 'table') && toks.length >= 4) {
    const table = findTable(target, nameOf(toks[2], 'table'));
    const rest = words.slice(3).join(' ');
    const cols = [S('TableName'), S('Schema'), S('DatabaseName'), S('Folder'), S('DocString')];
    if (rest === 'schema as json') return str(cols, [[table.name, tableSchemaJson(table.name, table.columns), target.database, '', '']]);
    if (rest === 'cslschema') return str(cols, [[table.name, table.columns.map((c) => `${c.name}:${c.type}`).join(','), target.database, '', '']]);
    throw bad(`.show table ${table.name} ${rest}: kqlite answers 'schema as json' and 'cslschema'`);
  }
  if (is('.show', 'database') && words.slice(-3).join(' ') === 'schema as json' && (toks.length === 5 || toks.length === 6)) {
    if (toks.length === 6) checkDatabase(target, nameOf(toks[2], 'database'));
    return str([S('DatabaseSchema')], [[databaseSchemaJson(target)]]);
  }
  if (is('.show', 'databases', 'schema', 'as', 'json') && toks.length === 5) return str([S('DatabaseSchema')], [[databaseSchemaJson(target)]]);
  if (is('.show', 'functions') && toks.length === 2) {
    return str([S('Name'), S('Parameters'), S('Body'), S('Folder'), S('DocString')], target.functions().map((f) => [f.name, f.parameters, f.body, f.folder, f.docString]));
  }
  if (is('.show', 'function') && toks.length === 3) {
    const name = nameOf(toks[2], 'function');
    const f = target.functions().find((x) => x.name === name);
    if (!f) throw new KustoRequestError(400, 'BadRequest_EntityNotFound', `Function '${name}' was not found in database '${target.database}'`);
    return str([S('Name'), S('Parameters'), S('Body'), S('Folder'), S('DocString')], [[f.name, f.parameters, f.body, f.folder, f.docString]]);
  }
  if (is('.create-merge', 'table') || is('.create', 'table')) {
    const name = nameOf(toks[2], 'table');
    // the name becomes a folder: only names every file system holds (no path, no device name, not too long)
    const problem = tableNameProblem(name);
    if (problem) throw bad(/letters, digits/.test(problem) ? `'${name}' is not a table name kqlite can store (letters, digits and _ only)` : problem);
    const cols = columnList(toks, 3);
    if (!cols.length) throw bad('a table needs at least one column');
    const existing = target.tables().find((t) => t.name === name);
    if (existing && words[0] === '.create') {
      const same = existing.columns.length === cols.length && existing.columns.every((c, i) => c.name === cols[i]!.name && c.type === cols[i]!.type);
      if (!same) throw new KustoRequestError(400, 'General_BadRequest', `Table '${name}' already exists with another schema (use .create-merge table to add columns)`);
    }
    for (const c of cols) {
      const old = existing?.columns.find((x) => x.name === c.name);
      if (old && old.type !== c.type) throw bad(`column '${name}.${c.name}' is ${old.type} and cannot become ${c.type}`);
    }
    await target.createMerge(name, cols);
    const now = findTable(target, name);
    return str([S('TableName'), S('Schema'), S('DatabaseName'), S('Folder'), S('DocString')], [[now.name, tableSchemaJson(now.name, now.columns), target.database, '', '']]);
  }
  const shown = csl.split(/\s+/).slice(0, 3).join(' ');
  throw bad(`kqlite does not run the management command '${shown.slice(0, 80)}' (it answers .show version|databases|tables|table T schema as json|database D schema as json|functions|function F, .create-merge table and .ingest inline)`);
}
