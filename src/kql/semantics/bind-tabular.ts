/**
 * Binding statements and tabular expressions: lets (scalar, tabular, functions, views), table references,
 * pipelines, and the tabular sources (datatable, print, range, union, search, find, externaldata, evaluate).
 */
import type { CallExpr, Expr, FunctionDecl, LetStatement, NameRef, Parameter, PipeExpr, ScalarTypeName, Statement } from '../syntax/ast.js';
import { walk } from '../syntax/index.js';
import { planUnion } from './union-schema.js';
import { Binder, OPEN_SCHEMA, Scope, type Row, type Symbol } from './binder.js';
import { bindExpr } from './bind-expressions.js';
import { bindOperator } from './bind-operators.js';
import { refuseGraph } from './bind-graph.js';
import { SEMANTIC } from './codes.js';
import { bindAssignedIpAddresses } from './bind-defender.js';
import { multiColumnResult } from './multi-column.js';
import { assignmentName, uniqueName } from './naming.js';
import { nearestName } from './suggest.js';
import type { ColumnSchema, TableSchema } from './types.js';

const TABULAR_KINDS = new Set(['PipeExpr', 'DatatableExpr', 'PrintExpr', 'RangeExpr', 'UnionExpr', 'SearchExpr', 'FindExpr', 'ExternaldataExpr', 'EvaluateExpr', 'ImplicitInput', 'ContextualSubquery']);

/** Results of user functions, bound once at their declaration. */
const functionResults = new WeakMap<FunctionDecl, { tabular: boolean; schema?: TableSchema }>();

export function isTabular(b: Binder, e: Expr, scope: Scope): boolean {
  if (TABULAR_KINDS.has(e.kind)) return true;
  switch (e.kind) {
    case 'ParenExpr':
      return isTabular(b, e.expr, scope);
    case 'NameRef': {
      const sym = scope.lookup(e.name);
      if (sym) return sym.kind === 'tabular' || (sym.kind === 'function' && sym.decl.isView);
      return b.options.catalog.tables.has(e.name);
    }
    case 'CallExpr': {
      const sym = scope.lookup(e.name.name);
      if (sym?.kind === 'function') return functionResults.get(sym.decl)?.tabular ?? false;
      if (sym?.kind === 'tabular') return true;
      if (!sym && e.name.name === 'AssignedIPAddresses') return true;
      return ['materialize', 'table', 'view', 'database', 'cluster', 'graph', '_GetWatchlist'].includes(e.name.name) || looksLikeParser(e.name.name);
    }
    case 'MemberExpr':
      // cluster(...).database(...) references, Azure Resource Graph's arg("").Resources, and a pattern's
      // path: `country("Canada").Alberta`
      return e.target.kind === 'CallExpr' && (['database', 'cluster'].includes(e.target.name.name) || isResourceGraphTable(e, scope) || scope.lookup(e.target.name.name)?.kind === 'tabular');
    default:
      return false;
  }
}

export function bindStatements(b: Binder, statements: Statement[], scope: Scope, collect = true): void {
  for (const st of statements) {
    switch (st.kind) {
      case 'LetStatement':
        bindLet(b, st, scope);
        break;
      case 'DeclareQueryParametersStatement':
        for (const p of st.parameters) declareParameter(b, p, scope);
        break;
      case 'SetStatement':
        break;
      case 'PatternStatement': {
        // A pattern is invoked like a function returning a table whose shape its bodies decide.
        scope.symbols.set(st.name.name, { kind: 'tabular', schema: OPEN_SCHEMA });
        for (const rule of st.rules) {
          const inner = new Scope(scope);
          for (const p of st.parameters) declareParameter(b, p, inner);
          if (st.pathParameter) declareParameter(b, st.pathParameter, inner);
          bindStatements(b, rule.body.statements, inner, false);
          if (isTabular(b, rule.body.result, inner)) bindTabular(b, rule.body.result, inner);
          else bindExpr(b, rule.body.result, inner, undefined);
        }
        break;
      }
      case 'QueryStatement': {
        const e = st.expr;
        if (isTabular(b, e, scope) || (e.kind === 'NameRef' && !scope.lookup(e.name))) {
          const s = bindTabular(b, e, scope);
          if (s.graph) b.error(SEMANTIC.graphMisuse, 'a query cannot return a graph; follow it with graph-match, graph-shortest-paths or graph-to-table', e.span);
          if (collect) b.resultSchemas.push(s);
        } else {
          const t = bindExpr(b, e, scope, undefined);
          if (collect) b.resultSchemas.push({ columns: [{ name: 'print_0', type: t }] });
        }
      }
    }
  }
}

function bindLet(b: Binder, st: LetStatement, scope: Scope): void {
  const v = st.value;
  if (v.kind === 'FunctionDecl') {
    const inner = new Scope(scope);
    for (const p of v.parameters) declareParameter(b, p, inner);
    // Register first so recursive references resolve.
    scope.symbols.set(st.name.name, { kind: 'function', decl: v, statement: st, scope });
    bindStatements(b, v.body.statements, inner, false);
    if (isTabular(b, v.body.result, inner)) functionResults.set(v, { tabular: true, schema: bindTabular(b, v.body.result, inner) });
    else {
      bindExpr(b, v.body.result, inner, undefined);
      functionResults.set(v, { tabular: false });
    }
    return;
  }
  // A bare name that resolves to nothing is taken as a table (`let x = SomeTable`), reported as unknown table.
  if (isTabular(b, v, scope) || (v.kind === 'NameRef' && !scope.lookup(v.name))) {
    scope.symbols.set(st.name.name, { kind: 'tabular', schema: bindTabular(b, v, scope), statement: st });
  } else {
    scope.symbols.set(st.name.name, { kind: 'scalar', type: bindExpr(b, v, scope, undefined), statement: st });
  }
}

function declareParameter(b: Binder, p: Parameter, scope: Scope): void {
  if (p.default) bindExpr(b, p.default, scope, undefined);
  if (p.type.kind === 'TabularParamType') {
    const columns: ColumnSchema[] = p.type.columns.map((c) => ({ name: c.name.name, type: c.type }));
    scope.symbols.set(p.name.name, { kind: 'tabular', schema: { columns, open: p.type.open || columns.length === 0 }, param: p });
  } else {
    scope.symbols.set(p.name.name, { kind: 'scalar', type: p.type.type, param: p });
  }
}

export function bindTabular(b: Binder, e: Expr, scope: Scope): TableSchema {
  if (e.kind === 'PipeExpr' && e.source.kind === 'PipeExpr') return bindPipeChain(b, e, scope);
  const s = bindTabularInner(b, e, scope);
  b.schemas.set(e, s);
  return s;
}

/** `T | op | op | …` (thousands of operators are valid KQL): bound source first, then each operator, in a loop. */
function bindPipeChain(b: Binder, top: PipeExpr, scope: Scope): TableSchema {
  const chain: PipeExpr[] = [];
  let x: Expr = top;
  while (x.kind === 'PipeExpr') {
    chain.push(x);
    x = x.source;
  }
  let schema = bindTabular(b, x, scope);
  for (let i = chain.length - 1; i >= 0; i--) {
    schema = bindOperator(b, chain[i]!.op, schema, scope);
    b.schemas.set(chain[i]!, schema);
  }
  return schema;
}

function bindTabularInner(b: Binder, e: Expr, scope: Scope): TableSchema {
  switch (e.kind) {
    case 'NameRef':
      return bindTableName(b, e, scope);
    case 'ParenExpr':
      return bindTabular(b, e.expr, scope);
    case 'PipeExpr': {
      const input = bindTabular(b, e.source, scope);
      return bindOperator(b, e.op, input, scope);
    }
    case 'ImplicitInput':
      return b.implicit[b.implicit.length - 1] ?? OPEN_SCHEMA;
    case 'ContextualSubquery':
      return bindTabular(b, e.body, scope);
    case 'DatatableExpr': {
      const columns = e.columns.map((c) => ({ name: c.name.name, type: c.type }));
      for (const v of e.values) bindExpr(b, v, scope, undefined);
      return { columns };
    }
    case 'ExternaldataExpr':
      return { columns: e.columns.map((c) => ({ name: c.name.name, type: c.type })) };
    case 'PrintExpr': {
      const columns: ColumnSchema[] = [];
      let n = 0;
      for (const a of e.columns) {
        const type = bindExpr(b, a.expr, scope, undefined);
        const expanded = multiColumnResult(a.expr, a.names.map((x) => x.name));
        if (expanded) {
          for (const c of expanded) columns.push({ name: uniqueName(columns, c.name), type: c.type });
          n++;
          continue;
        }
        const name = a.names[0]?.name ?? `print_${n}`;
        n++;
        columns.push({ name: uniqueName(columns, name), type });
      }
      return { columns };
    }
    case 'RangeExpr': {
      const t = bindExpr(b, e.from, scope, undefined);
      bindExpr(b, e.to, scope, undefined);
      bindExpr(b, e.step, scope, undefined);
      return { columns: [{ name: e.name.name, type: t === 'int' ? 'long' : t }] };
    }
    case 'UnionExpr':
      return bindUnion(b, e.tables, e.parameters, scope, []);
    case 'SearchExpr':
      // `search in (T1, T2) ...` is a union of its tables with `$table` first (Kusto.Language's schema and
      // the engine's); without `in` it reads every table of the database, left open
      if (e.tables.length) {
        const u = bindUnion(b, e.tables, [], scope, []);
        bindExpr(b, e.predicate, scope, { schema: u });
        return { columns: [{ name: '$table', type: 'string' }, ...u.columns.filter((c) => c.name !== '$table')], open: u.open };
      }
      bindExpr(b, e.predicate, scope, { schema: OPEN_SCHEMA });
      return OPEN_SCHEMA;
    case 'FindExpr':
      for (const t of e.tables) if (t.kind !== 'NameRef' || !t.name.includes('*')) bindTabular(b, t, scope);
      bindExpr(b, e.predicate, scope, { schema: OPEN_SCHEMA });
      return OPEN_SCHEMA;
    case 'EvaluateExpr':
      return OPEN_SCHEMA;
    case 'CallExpr': {
      const sym = scope.lookup(e.name.name);
      // Defender's AssignedIPAddresses(x, y), when the query defines nothing of that name
      if (!sym && e.name.name === 'AssignedIPAddresses') return bindAssignedIpAddresses(b, e, scope);
      for (const a of e.args) {
        const x = a.kind === 'NamedArg' ? a.value : a;
        if (isTabular(b, x, scope)) bindTabular(b, x, scope);
        else bindExpr(b, x, scope, undefined);
      }
      if (sym?.kind === 'function') {
        b.calls.set(e, { kind: 'user', statement: sym.statement });
        const values = e.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
        return userFunctionResult(b, sym, values.map((x) => b.schemas.get(x)), values.map(stringLiteral), e);
      }
      // graph('model'): a persistent graph; its properties are unknown here (the engine refuses it)
      if (e.name.name === 'graph') return { columns: [], graph: { nodes: OPEN_SCHEMA, edges: OPEN_SCHEMA } };
      if (e.name.name === 'materialize') {
        const a = e.args[0];
        return a && a.kind !== 'NamedArg' ? (b.schemas.get(a) ?? OPEN_SCHEMA) : OPEN_SCHEMA;
      }
      if (e.name.name === 'table') {
        const a = e.args[0];
        // table("T"), or table(p) inside a function called with a literal p (its body is bound for that call)
        const sym = a?.kind === 'NameRef' ? scope.lookup(a.name) : undefined;
        const name = a && a.kind !== 'NamedArg' ? (stringLiteral(a) ?? (sym?.kind === 'scalar' ? sym.constant : undefined)) : undefined;
        if (name !== undefined) return b.options.catalog.tables.get(name) ?? OPEN_SCHEMA;
      }
      // Sentinel's watchlists: the fixed columns, the rest open (the workspace's CSV defines them when added)
      if (e.name.name === '_GetWatchlist') return WATCHLIST_SCHEMA;
      if (looksLikeParser(e.name.name) && !sym) {
        b.error(SEMANTIC.unknownFunction, undefinedParser(e.name.name), e.name.span);
        return OPEN_SCHEMA;
      }
      return OPEN_SCHEMA;
    }
    case 'MemberExpr':
      if (e.target.kind === 'CallExpr' && scope.lookup(e.target.name.name)?.kind === 'tabular') bindTabular(b, e.target, scope);
      if (isResourceGraphTable(e, scope) && e.target.kind === 'CallExpr') {
        b.error(SEMANTIC.crossService, `arg("").${e.name.name} is an Azure Resource Graph table: that cross-service query runs only in Azure Monitor / Sentinel, and a local workspace has no Azure Resource Graph`, e.target.span);
      }
      return OPEN_SCHEMA;
    default:
      b.error(SEMANTIC.notTabular, `expected a table here, but this is a scalar expression`, e.span);
      return OPEN_SCHEMA;
  }
}

/** `arg("").Resources`: an Azure Resource Graph table (unless `arg` is the query's own function). */
function isResourceGraphTable(e: Expr, scope: Scope): boolean {
  return e.kind === 'MemberExpr' && e.target.kind === 'CallExpr' && e.target.name.name === 'arg' && !scope.lookup('arg');
}

/** Functions being re-bound for a call (a function that calls itself gets its declared result). */
const rebinding = new Set<FunctionDecl>();

/**
 * A tabular user function's result at a call: a function with tabular parameters is bound again with the
 * tables it is given (as Kusto does), so `f(T)` over `(T:(*)) { T | distinct * }` has T's columns, not an
 * open schema. The re-binding's diagnostics are dropped: the body was checked at its declaration.
 */
export function userFunctionResult(b: Binder, sym: Extract<Symbol, { kind: 'function' }>, args: (TableSchema | undefined)[], literals: (string | undefined)[] = [], call?: CallExpr): TableSchema {
  const declared = functionResults.get(sym.decl);
  if (!declared?.tabular) return OPEN_SCHEMA;
  const params = sym.decl.parameters;
  const constant = (p: Parameter, i: number) => (p.type.kind !== 'TabularParamType' && p.type.type === 'string' ? literals[i] : undefined);
  // a string literal for a scalar parameter matters when the body reads table(parameter), as Sentinel's
  // `let f = (tableName:string) { table(tableName) | ... }; f("SigninLogs")` does
  const tableByName = params.some((p, i) => constant(p, i) !== undefined) && readsTableByParameter(sym.decl);
  if (!sym.scope || rebinding.has(sym.decl) || !(tableByName || params.some((p, i) => p.type.kind === 'TabularParamType' && args[i]))) return declared.schema ?? OPEN_SCHEMA;
  rebinding.add(sym.decl);
  try {
    const scratch = new Binder(b.options);
    const inner = new Scope(sym.scope);
    params.forEach((p, i) => {
      const actual = args[i];
      if (p.type.kind === 'TabularParamType' && actual) inner.symbols.set(p.name.name, { kind: 'tabular', schema: actual, param: p });
      else declareParameter(scratch, p, inner);
      const value = constant(p, i);
      if (value !== undefined && p.type.kind !== 'TabularParamType') inner.symbols.set(p.name.name, { kind: 'scalar', type: p.type.type, param: p, constant: value });
    });
    bindStatements(scratch, sym.decl.body.statements, inner, false);
    const result = bindTabular(scratch, sym.decl.body.result, inner);
    // the body's schemas for this call's table names, for the engine to run it with
    if (tableByName && call) b.callBindings.set(call, scratch);
    return result;
  } finally {
    rebinding.delete(sym.decl);
  }
}

/** The value of a string literal argument, else undefined. */
function stringLiteral(e: Expr): string | undefined {
  return e.kind === 'Literal' && typeof e.value === 'string' ? e.value : undefined;
}

/** Whether a function's body calls table() on one of its parameters (its result then depends on the value). */
const readsTable = new WeakMap<FunctionDecl, boolean>();
function readsTableByParameter(decl: FunctionDecl): boolean {
  let r = readsTable.get(decl);
  if (r === undefined) {
    const names = new Set(decl.parameters.map((p) => p.name.name));
    r = false;
    walk(decl.body, (n) => {
      const x = n as Expr;
      if (x.kind === 'CallExpr' && x.name.name === 'table' && x.args[0]?.kind === 'NameRef' && names.has(x.args[0].name)) r = true;
    });
    readsTable.set(decl, r);
  }
  return r;
}

function bindTableName(b: Binder, e: NameRef, scope: Scope): TableSchema {
  const sym = scope.lookup(e.name);
  if (sym?.kind === 'tabular') {
    if (sym.statement) b.refs.set(e, { kind: 'let', statement: sym.statement });
    else if (sym.param) b.refs.set(e, { kind: 'parameter', param: sym.param });
    return sym.schema;
  }
  if (sym?.kind === 'function') {
    b.refs.set(e, { kind: 'function', statement: sym.statement });
    return functionResults.get(sym.decl)?.schema ?? OPEN_SCHEMA;
  }
  const table = b.options.catalog.tables.get(e.name);
  if (table) {
    b.refs.set(e, { kind: 'table', name: e.name, schema: table });
    return table;
  }
  if (sym?.kind === 'scalar') {
    b.error(SEMANTIC.notTabular, `'${e.name}' is a scalar value, not a table`, e.span);
    return OPEN_SCHEMA;
  }
  if (looksLikeParser(e.name)) {
    b.error(SEMANTIC.unknownFunction, undefinedParser(e.name), e.span);
    return OPEN_SCHEMA;
  }
  const candidates = [...b.options.catalog.tables.keys(), ...scope.names()];
  const suggestion = nearestName(e.name, candidates);
  b.error(SEMANTIC.unknownTable, `unknown table '${e.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, e.span, suggestion);
  return OPEN_SCHEMA;
}

const WATCHLIST_SCHEMA: TableSchema = { columns: [{ name: '_DTItemId', type: 'string' }, { name: 'LastUpdatedTimeUTC', type: 'datetime' }, { name: 'SearchKey', type: 'string' }, { name: 'WatchlistItem', type: 'dynamic' }], open: true };

/** ASIM parser names (`_Im_Dns`, `_ASim_NetworkSession`, `imFileEvent`, `ASimDns`, `vimDnsGcp`): functions a source defines. */
export function looksLikeParser(name: string): boolean {
  // ASim*Logs are ASIM's native tables (ASimNetworkSessionLogs), not parsers
  if (/^ASim\w+Logs$/.test(name)) return false;
  return /^(_Im_|_ASim_|_im_|_asim_)[A-Za-z]|^(im|ASim|vim|vimASim)[A-Z][A-Za-z]+$/.test(name);
}

function undefinedParser(name: string): string {
  return `unknown function '${name}': an ASIM parser that no synced source defines (add Azure-Sentinel's Parsers/ with kqlite sources add, or a source that defines it)`;
}

/** The expression a union leg reads first: `(f(x) | where ...)` → `f(x)`. */
function legSource(e: Expr): Expr {
  for (;;) {
    if (e.kind === 'ParenExpr') e = e.expr;
    else if (e.kind === 'PipeExpr') e = e.source;
    else return e;
  }
}

/** union: `kind=outer` (default) keeps every column (missing ones null), `inner` only common ones. */
export function bindUnion(b: Binder, tables: Expr[], parameters: { name: { name: string }; value: Expr }[], scope: Scope, first: TableSchema[]): TableSchema {
  const schemas = [...first];
  const param = (n: string) => parameters.find((p) => p.name.name === n)?.value;
  const fuzzy = param('isfuzzy');
  const isFuzzy = fuzzy?.kind === 'NameRef' ? fuzzy.name === 'true' : fuzzy?.kind === 'Literal' && fuzzy.value === true;
  const before = b.diagnostics.length;
  for (const t of tables) {
    if (t.kind === 'NameRef' && t.name.includes('*')) {
      const re = new RegExp('^' + t.name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      for (const [name, s] of b.options.catalog.tables) if (re.test(name)) schemas.push(s);
      // let-bound tables and views match a wildcard too
      for (const name of new Set(scope.names())) {
        const sym = scope.lookup(name);
        if (!re.test(name) || b.options.catalog.tables.has(name)) continue;
        if (sym?.kind === 'tabular') schemas.push(sym.schema);
        else if (sym?.kind === 'function' && sym.decl.parameters.length === 0) {
          const result = functionResults.get(sym.decl);
          if (result?.tabular) schemas.push(result.schema ?? OPEN_SCHEMA);
        }
      }
      continue;
    }
    schemas.push(refuseGraph(b, bindTabular(b, t, scope), t.span, 'union'));
  }
  // isfuzzy=true: a missing table is tolerated (Kusto warns and unions the rest). When no leg resolves the
  // query fails at run time (the engine says which tables it lacked), not at binding, as Kusto.Language has it.
  // So is a leg whose source calls a function nobody defined (an ASIM parser: `(imDns(...) | ...)`,
  // `(imFileEvent | ...)`), as
  // Kusto.Language has it; a scalar call it does not know inside a leg stays an error.
  if (isFuzzy) {
    const legSources = new Set(tables.map((t) => legSource(t)).flatMap((s) => (s.kind === 'CallExpr' ? [s.name.span.start] : s.kind === 'NameRef' ? [s.span.start] : [])));
    for (let i = before; i < b.diagnostics.length; i++) {
      const d = b.diagnostics[i]!;
      if (d.code === SEMANTIC.unknownTable || (d.code === SEMANTIC.unknownFunction && legSources.has(d.span.start))) b.diagnostics[i] = { ...d, severity: 'warning' };
    }
  }
  const kind = param('kind');
  const inner = kind?.kind === 'NameRef' && kind.name === 'inner';
  const columns: ColumnSchema[] = [];
  const withsource = param('withsource');
  if (withsource?.kind === 'NameRef') columns.push({ name: withsource.name, type: 'string' });
  // a dynamic column of a closed schema (a known table, a datatable) is really dynamic: plan strictly as the
  // engine does; only inputs with unknown columns leave a dynamic/other difference open
  columns.push(...planUnion(schemas.map((s) => s.columns), inner, schemas.some((s) => s.open)).columns);
  return { columns, open: schemas.some((s) => s.open) };
}

/** Binds `[name =] expr` lists into columns (project/extend/summarize share this). */
export function bindAssignments(
  b: Binder,
  list: { names: { name: string }[]; expr: Expr }[],
  scope: Scope,
  row: Row,
  fallback: () => string,
  /** print/extend/project/serialize split multi-column calls into columns; grouping keys do not. */
  expandMultiColumn = true,
): ColumnSchema[] {
  const out: ColumnSchema[] = [];
  for (const a of list) {
    const type: ScalarTypeName = bindExpr(b, a.expr, scope, row);
    const expanded = expandMultiColumn ? multiColumnResult(a.expr, a.names.map((x) => x.name)) : undefined;
    if (expanded) {
      for (const c of expanded) out.push({ name: c.name, type: c.type });
      continue;
    }
    if (a.names.length > 1) {
      for (const n of a.names) out.push({ name: n.name, type: 'dynamic' });
      continue;
    }
    out.push({ name: assignmentName(a as Parameters<typeof assignmentName>[0], fallback), type });
  }
  return out;
}
