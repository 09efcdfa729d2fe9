/**
 * Executes bound statements: lets go into the environment, each query statement yields a relation.
 * Tabular expressions are evaluated by `evalTabular`, which dispatches each operator to its module in
 * operators/. An operator or source the engine does not implement fails loudly, naming it.
 */
import { queryParameterValue } from './query-parameters.js';
import type { Expr, Operator, PipeExpr, Statement } from '../kql/syntax/ast.js';
import { OPERATOR_WORD } from '../kql/semantics/index.js';
import { walk } from '../kql/syntax/index.js';
import { QueryError, UnknownTableError, UnknownTabularFunctionError } from './values/value.js';
import { bindLet, compileExpr } from './compile/expr.js';
import { enterFunction } from './compile/user-function.js';
import { checkLimits, Env, type Runtime } from './compile/env.js';
import type { Relation } from './compile/relation.js';
import type { OpContext } from './operators/context.js';
import { distinct } from './operators/distinct.js';
import { evaluate, PLUGINS } from './operators/evaluate.js';
import { extend, project } from './operators/extend.js';
import { extractPrefilter, keepRowsHolding } from './operators/extract-prefilter.js';
import { join, lookup } from './operators/join.js';
import { makeSeries } from './operators/make-series.js';
import { mvApply } from './operators/mv-apply.js';
import { mvExpand } from './operators/mv-expand.js';
import { parseOp } from './operators/parse.js';
import { partition } from './operators/partition.js';
import { projectByNames } from './operators/project-by-names.js';
import { invoke } from './operators/invoke.js';
import { assignedIpAddresses } from './operators/device-network.js';
import { sample, sampleDistinct } from './operators/sample.js';
import { scan } from './operators/scan.js';
import { runGraphOp } from './operators/graph.js';
import { topNested } from './operators/top-nested.js';
import { parseKv } from './operators/parse-kv.js';
import { count, getschema, projectAway, projectKeep, projectRename, projectReorder } from './operators/project-columns.js';
import { datatable, print, range } from './operators/sources.js';
import { externaldata } from './operators/externaldata.js';
import { sort, take, top } from './operators/sort.js';
import { reduce } from './operators/reduce.js';
import { summarize } from './operators/summarize.js';
import { invokePattern } from './operators/pattern.js';
import { union } from './operators/union.js';
import { find, searchPiped, searchTables } from './operators/search.js';
import { where } from './operators/where.js';
import { makeSeriesRange, scanTable, scanWithWheres } from './scan.js';
import type { TimeRange } from './source.js';

/** Operator words the engine executes (the binder flags the others by name). */
export const ENGINE_OPERATORS: ReadonlySet<string> = new Set([
  'where', 'filter', 'project', 'project-away', 'project-keep', 'project-rename', 'project-reorder', 'extend',
  'summarize', 'count', 'take', 'limit', 'top', 'sort', 'order', 'distinct', 'union', 'join', 'lookup',
  'mv-expand', 'make-series', 'serialize', 'as', 'getschema', 'render', 'sample', 'sample-distinct', 'project-by-names', 'invoke', 'partition', 'scan', 'top-nested', 'parse', 'parse-where', 'parse-kv', 'evaluate', 'mv-apply', 'reduce', 'search',
  'make-graph', 'graph-match', 'graph-shortest-paths', 'graph-to-table', 'graph-mark-components',
]);

export const ENGINE_PLUGINS: ReadonlySet<string> = new Set(PLUGINS.keys());

export function runStatements(rt: Runtime, statements: Statement[], env: Env): Relation[] {
  const results: Relation[] = [];
  for (const st of statements) {
    if (st.kind === 'LetStatement') bindLet(st.name.name, st.value, { rt, env, rel: { columns: [], length: 1 } });
    else if (st.kind === 'QueryStatement') {
      if (rt.bound.schemaOf(st.expr)) results.push(evalTabular(rt, st.expr, env));
      else {
        const c = compileExpr(st.expr, { rt, env, rel: { columns: [], length: 1 } });
        results.push(print({ kind: 'PrintExpr', columns: [{ kind: 'ColumnAssignment', names: [], expr: st.expr, span: st.span }], span: st.span }, { rt, env }, { columns: [{ name: 'print_0', type: c.type }] }));
      }
    } else if (st.kind === 'DeclareQueryParametersStatement') {
      for (const p of st.parameters) {
        const given = rt.queryParameters && Object.hasOwn(rt.queryParameters, p.name.name) ? rt.queryParameters[p.name.name] : undefined;
        if (given !== undefined && p.type.kind === 'ScalarParamType') env.vars.set(p.name.name, { kind: 'scalar', value: queryParameterValue(p.name.name, p.type.type, given), type: p.type.type });
        else if (p.default) bindLet(p.name.name, p.default, { rt, env, rel: { columns: [], length: 1 } });
        else throw new QueryError(`query parameter '${p.name.name}' has no value: the request supplies none and its declaration gives no default`, 'KQL4010');
      }
    } else if (st.kind === 'SetStatement') {
      // query properties: recorded for the functions that read them (bin_auto); the rest change nothing here
      const value = st.value ? compileExpr(st.value, { rt, env, rel: { columns: [], length: 1 } }).eval(0) : true;
      rt.ctx.options?.set(st.name.name.toLowerCase(), value);
    } else if (st.kind === 'PatternStatement') {
      env.vars.set(st.name.name, { kind: 'pattern', decl: st, env });
    }
  }
  return results;
}

export function evalTabular(rt: Runtime, e: Expr, env: Env, implicit?: Relation): Relation {
  checkLimits(rt);
  const cx: OpContext = { rt, env };
  switch (e.kind) {
    case 'ParenExpr':
      return evalTabular(rt, e.expr, env, implicit);
    case 'NameRef':
      return tableByName(rt, e.name, env);
    case 'PipeExpr':
      return evalPipe(rt, e, env, implicit);
    case 'DatatableExpr':
      return running(rt, 'datatable', () => datatable(e, cx));
    case 'PrintExpr':
      return running(rt, 'print', () => print(e, cx, rt.bound.schemaOf(e) ?? { columns: [] }));
    case 'RangeExpr':
      return running(rt, 'range', () => range(e, cx));
    case 'UnionExpr':
      return unionOf(rt, e.tables, e.parameters, [], env);
    case 'SearchExpr':
      return searchTables(e, searchInputs(rt, e.tables, env), cx);
    case 'FindExpr':
      return find(e, searchInputs(rt, e.tables, env), cx);
    case 'ImplicitInput':
      if (!implicit) throw new QueryError('a sub-query needs an input here');
      return implicit;
    case 'ContextualSubquery':
      return evalTabular(rt, e.body, env, implicit);
    case 'CallExpr': {
      const entry = env.lookup(e.name.name);
      if (entry?.kind === 'pattern') return invokePattern(rt, entry, e.args, undefined, env, implicit);
      if (entry?.kind === 'function') {
        const inner = enterFunction(entry.decl, entry.env, e.args, { rt, env, rel: implicit ?? { columns: [], length: 1 } });
        // a body that reads table(parameter) runs with the schemas the binder gave it for this call's tables
        const perCall = rt.bound.callBinding(e);
        if (!perCall) return evalTabular(rt, entry.decl.body.result, inner, implicit);
        const outer = rt.bound;
        rt.bound = perCall;
        try {
          return evalTabular(rt, entry.decl.body.result, inner, implicit);
        } finally {
          rt.bound = outer;
        }
      }
      if (!entry && e.name.name === 'AssignedIPAddresses') return running(rt, 'AssignedIPAddresses', () => assignedIpAddresses(e, cx));
      if (e.name.name === 'materialize' && e.args[0] && e.args[0].kind !== 'NamedArg') return evalTabular(rt, e.args[0], env, implicit);
      if (e.name.name === 'table' && e.args[0] && e.args[0].kind !== 'NamedArg') return tableByName(rt, tableNameOf(rt, e.args[0], env), env);
      if (e.name.name === 'graph') throw new QueryError("graph(...) reads a persistent graph model (snapshots in a Kusto database), which kqlite does not have; build the graph with make-graph instead", 'KQL4010');
      if (!entry) throw new UnknownTabularFunctionError(e.name.name);
      throw new QueryError(`'${e.name.name}(...)' cannot be used as a table here`, 'KQL4010');
    }
    case 'ExternaldataExpr':
      return externaldata(e, cx);
    case 'MemberExpr': {
      const entry = e.target.kind === 'CallExpr' ? env.lookup(e.target.name.name) : undefined;
      if (entry?.kind === 'pattern' && e.target.kind === 'CallExpr') return invokePattern(rt, entry, e.target.args, e.name.name, env, implicit);
      if (e.target.kind === 'CallExpr' && e.target.name.name === 'arg') throw new QueryError(`arg("").${e.name.name} reads Azure Resource Graph, which a local workspace does not have (the cross-service query runs only in Azure Monitor / Sentinel)`, 'KQL4010');
      throw new QueryError("'cluster()'/'database()' references need a Kusto cluster; kqlite runs on its local workspace only", 'KQL4010');
    }
    default:
      throw new QueryError(`'${e.kind.replace(/Expr$/, '').toLowerCase()}' is not supported by kqlite's engine yet`, 'KQL4010');
  }
}

/**
 * `source | op | op | …`: thousands of operators are valid KQL, so the chain is walked down in a loop (no
 * recursion per operator) to the first node that is evaluated as a whole (a where chain over a stored
 * table, the where-below-join rewrite) or to its source, then the operators are applied upwards.
 */
function evalPipe(rt: Runtime, top: PipeExpr, env: Env, implicit?: Relation): Relation {
  const cx: OpContext = { rt, env };
  const pending: PipeExpr[] = [];
  let x: Expr = top;
  let base: Relation | undefined;
  // scanWithWheres answers alike for every where of one run of wheres (they share the run's source), so
  // after one refusal the rest of the run is not asked again (which made a long where chain quadratic)
  let whereRunRefused = false;
  // a make-series right above the where chain ignores rows outside its axis: the scan may skip those extents
  let axisRange: TimeRange | undefined;
  while (x.kind === 'PipeExpr') {
    if (x.op.kind !== 'WhereOp') whereRunRefused = false;
    else if (!whereRunRefused) {
      base = scanWithWheres(rt, x, env, axisRange);
      if (base) break;
      whereRunRefused = true;
    }
    if (x.op.kind !== 'WhereOp') axisRange = x.op.kind === 'MakeSeriesOp' ? makeSeriesRange(rt, env, x.op) : undefined;
    base = pushWhereBelowInneruniqueJoin(rt, x, env, implicit) ?? pushWhereIntoUnion(rt, x, env) ?? prefilterBelowExtract(rt, x, env, implicit);
    if (base) break;
    pending.push(x);
    x = x.source;
  }
  let rel = base ?? evalTabular(rt, x, env, implicit);
  for (let i = pending.length - 1; i >= 0; i--) {
    checkLimits(rt);
    const node = pending[i]!;
    const next = pending[i - 1]?.op;
    // a join followed by a where: the join may test the where's time window on its pairs (join-window.ts)
    if (node.op.kind === 'JoinOp' && next?.kind === 'WhereOp' && !rel.graph) {
      const op = node.op;
      const input = rel;
      rel = running(rt, OPERATOR_WORD[op.kind], () => join(op, input, evalTabular(rt, op.right, env), cx, next.predicate));
    } else rel = applyOperator(rt, node, node.op, rel, cx);
  }
  return rel;
}

/**
 * `L | join kind=innerunique R on k | where P` where P reads only L's columns: Kusto filters L before the
 * join de-duplicates L's keys (the reference's join-innerunique page shows this), so which duplicate
 * survives depends on P. Run it that way: filter L, then join.
 */
function pushWhereBelowInneruniqueJoin(rt: Runtime, e: PipeExpr, env: Env, implicit?: Relation): Relation | undefined {
  const join = e.source;
  if (e.op.kind !== 'WhereOp' || join.kind !== 'PipeExpr' || join.op.kind !== 'JoinOp') return undefined;
  const kind = join.op.parameters.find((p) => p.name.name === 'kind')?.value;
  if (kind && !(kind.kind === 'NameRef' && kind.name.toLowerCase() === 'innerunique')) return undefined;
  const left = rt.bound.schemaOf(join.source);
  const output = rt.bound.schemaOf(join);
  if (!left || !output || left.open || output.open) return undefined;
  let leftOnly = true;
  walk(e.op.predicate, (node) => {
    const n = node as Expr;
    if (n.kind === 'NameRef' && output.columns.some((c) => c.name === n.name) && !left.columns.some((c) => c.name === n.name)) leftOnly = false;
    // row-order functions see the joined rows, not the left side's
    if (n.kind === 'CallExpr' && /^(row_|prev$|next$)/.test(n.name.name)) leftOnly = false;
    return leftOnly;
  });
  if (!leftOnly) return undefined;
  const cx: OpContext = { rt, env };
  const filtered = where(e.op, evalTabular(rt, join.source, env, implicit), cx);
  return applyOperator(rt, join, join.op, filtered, cx);
}

/**
 * `S | extend X = extract(P, g, C) | where isnotempty(X)`: the rows whose C lacks P's required literal are
 * dropped before the extend (operators/extract-prefilter.ts), so it computes its columns for the rest only.
 */
function prefilterBelowExtract(rt: Runtime, e: PipeExpr, env: Env, implicit?: Relation): Relation | undefined {
  const f = extractPrefilter(rt, env, e);
  if (!f) return undefined;
  const cx: OpContext = { rt, env };
  const narrowed = keepRowsHolding(rt, evalTabular(rt, f.extend.source, env, implicit), f.column, f.literal);
  return applyOperator(rt, e, e.op, applyOperator(rt, f.extend, f.extend.op, narrowed, cx), cx);
}

/** Calls whose value depends on the rows around them, on every column, or on the relation (not the row). */
const NOT_PER_LEG = /^(row_.*|prev|next|pack_all|bag_pack_columns|column_ifexists|column_names_of|estimate_data_size|ingestion_time|extent_id|extentid|extent_tags|toscalar)$/;

/**
 * `union T1, T2, ... | where P` as `union (T1 | where P), (T2 | where P), ...`: a row passes P alike in its
 * table and in the union when every column P reads arrives from every input under its own name and type
 * (no input fills it with nulls, no type split renames it) and P does not depend on other rows, other
 * columns or the relation. Each leg then gets the scan's time-range pushdown and per-extent where chain,
 * and the union copies only the rows that passed. Row order is the same: the legs' rows, leg after leg.
 */
function pushWhereIntoUnion(rt: Runtime, e: PipeExpr, env: Env): Relation | undefined {
  const u = e.source;
  if (e.op.kind !== 'WhereOp' || u.kind !== 'UnionExpr') return undefined;
  if (u.tables.some((t) => t.kind === 'NameRef' && t.name.includes('*'))) return undefined;
  const output = rt.bound.schemaOf(u);
  const legs = u.tables.map((t) => rt.bound.schemaOf(t));
  if (!output || output.open || legs.some((l) => !l || l.open)) return undefined;
  let perLeg = true;
  walk(e.op.predicate, (node) => {
    const n = node as Expr;
    if (n.kind === 'NameRef') {
      const out = output.columns.find((c) => c.name === n.name);
      const inLegs = legs.map((l) => l!.columns.find((c) => c.name === n.name));
      // a column of the union must come from every leg with the union's type; a name that is no column
      // of the union (a let) must not be a column of any leg either (it would read the leg's column there)
      if (out ? inLegs.some((c) => !c || c.type !== out.type) : inLegs.some((c) => c)) perLeg = false;
    }
    if (n.kind === 'CallExpr' && NOT_PER_LEG.test(n.name.name)) perLeg = false;
    if (/Star|Search/.test(n.kind)) perLeg = false;
    return perLeg;
  });
  if (!perLeg) return undefined;
  const tables: Expr[] = u.tables.map((t) => ({ kind: 'PipeExpr', span: t.span, source: t, op: e.op }) as PipeExpr);
  return unionOf(rt, tables, u.parameters, [], env, u.tables);
}

/** table(name)'s name: a constant string (a literal, a let, a function's parameter). */
function tableNameOf(rt: Runtime, arg: Expr, env: Env): string {
  const c = compileExpr(arg, { rt, env, rel: { columns: [], length: 1 } });
  const name = c.constant || c.type === 'string' ? c.eval(0) : undefined;
  if (typeof name !== 'string' || name === '') throw new QueryError('table() needs the name of a table: a constant, non-empty string');
  return name;
}

function tableByName(rt: Runtime, name: string, env: Env): Relation {
  const entry = env.lookup(name);
  if (entry?.kind === 'tabular') return entry.get();
  // a view (or a function without parameters) named bare: its body's lets bound, then its result; a function
  // named without arguments (an ASIM parser used as a table): its parameters take their defaults
  if (entry?.kind === 'function') return evalTabular(rt, entry.decl.body.result, enterFunction(entry.decl, entry.env, [], { rt, env, rel: { columns: [], length: 1 } }));
  return scanTable(rt, name);
}

function unionOf(rt: Runtime, tables: Expr[], parameters: { name: { name: string }; value: Expr }[], first: { name: string; rel: Relation }[], env: Env, names?: Expr[]): Relation {
  const fuzzyValue = parameters.find((p) => p.name.name === 'isfuzzy')?.value;
  const fuzzy = (fuzzyValue?.kind === 'NameRef' && fuzzyValue.name === 'true') || (fuzzyValue?.kind === 'Literal' && fuzzyValue.value === true);
  const skipped: string[] = [];
  const inputs = [...first, ...tableInputs(rt, tables, env, names, (err) => {
    // isfuzzy=true passes over legs that name a missing table (Kusto warns); any other error ends the query
    if (!(fuzzy && err instanceof UnknownTableError)) throw err;
    rt.warnings.push(err instanceof UnknownTabularFunctionError ? `union isfuzzy=true: left out a leg that calls the undefined function '${err.fn}'` : `union isfuzzy=true: left out a leg that reads the missing table '${err.table}'`);
    skipped.push(err.table);
  })];
  if (fuzzy && !inputs.length && skipped.length) throw new QueryError(`union isfuzzy=true: none of its tables exist (${skipped.join(', ')})`, 'KQL4006');
  const param = (n: string) => parameters.find((p) => p.name.name === n)?.value;
  const ws = param('withsource');
  const kind = param('kind');
  return union(inputs, kind?.kind === 'NameRef' && kind.name === 'inner', ws?.kind === 'NameRef' ? ws.name : undefined);
}

/**
 * The inputs of union/search/find, each with the name withsource/$table/source_ gives it: tables (a
 * wildcard matches stored tables, lets and views), sub-queries; `onError` decides about a failing one.
 */
/** `names`: the expressions that name each input for withsource, when `tables` wrap them (a where pushed in). */
function tableInputs(rt: Runtime, tables: Expr[], env: Env, names?: Expr[], onError: (err: unknown) => void = (err) => { throw err; }): { name: string; rel: Relation }[] {
  const inputs: { name: string; rel: Relation }[] = [];
  for (const [i, t] of tables.entries()) {
    if (t.kind === 'NameRef' && t.name.includes('*')) {
      const re = new RegExp('^' + t.name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      const names = new Set([...(rt.source?.tableNames() ?? []), ...env.names()]);
      for (const n of names) if (re.test(n) && isTableName(rt, n, env)) inputs.push({ name: n, rel: tableByName(rt, n, env) });
      continue;
    }
    try {
      inputs.push({ name: unionInputName(names?.[i] ?? t) ?? `union_arg${inputs.length}`, rel: evalTabular(rt, t, env) });
    } catch (err) {
      onError(err);
    }
  }
  return inputs;
}

/** search/find's tables: the `in (...)` list, else every table of the source. */
function searchInputs(rt: Runtime, tables: Expr[], env: Env): { name: string; rel: Relation }[] {
  if (tables.length) return tableInputs(rt, tables, env);
  return (rt.source?.tableNames() ?? []).sort().map((n) => ({ name: n, rel: scanTable(rt, n) }));
}

/** What `withsource` calls an input: its table name, or the name an `as` gives it. */
function unionInputName(e: Expr): string | undefined {
  if (e.kind === 'NameRef') return e.name;
  if (e.kind === 'ParenExpr') return unionInputName(e.expr);
  if (e.kind === 'PipeExpr' && e.op.kind === 'AsOp') return e.op.name.name;
  return undefined;
}

/** Whether a name a wildcard matched is a table (stored, let-bound, or a view without parameters). */
function isTableName(rt: Runtime, name: string, env: Env): boolean {
  const entry = env.lookup(name);
  if (entry) return entry.kind === 'tabular' || (entry.kind === 'function' && entry.decl.parameters.length === 0 && rt.bound.schemaOf(entry.decl.body.result) !== undefined);
  return rt.source?.schema(name) !== undefined;
}

/** Runs `f` as operator `word`: the one a limit names when it ends the query inside it. */
function running<T>(rt: Runtime, word: string, f: () => T): T {
  const meter = rt.limits.memory;
  const outer = meter.operator;
  meter.operator = word;
  try {
    return f();
  } finally {
    meter.operator = outer;
  }
}

function applyOperator(rt: Runtime, node: PipeExpr, op: Operator, input: Relation, cx: OpContext): Relation {
  return running(rt, op.kind === 'GraphOp' ? op.operator : OPERATOR_WORD[op.kind], () => runOperator(rt, node, op, input, cx));
}

function runOperator(rt: Runtime, node: PipeExpr, op: Operator, input: Relation, cx: OpContext): Relation {
  const schema = rt.bound.schemaOf(node) ?? { columns: [] };
  if (op.kind === 'GraphOp') return runGraphOp(op, input, cx, schema.columns.map((c) => c.name));
  if (input.graph) throw new QueryError(`'${OPERATOR_WORD[op.kind]}' needs a table, but its input is a graph`, 'KQL4001');
  switch (op.kind) {
    case 'WhereOp':
      return where(op, input, cx);
    case 'ProjectOp':
      return project(op, input, cx);
    case 'ExtendOp':
      return extend(op, input, cx);
    case 'ProjectAwayOp':
      return projectAway(op, input);
    case 'ProjectKeepOp':
      return projectKeep(op, input);
    case 'ProjectRenameOp':
      return projectRename(op, input);
    case 'ProjectReorderOp':
      return projectReorder(op, input);
    case 'SummarizeOp':
      return summarize(op, input, cx, schema);
    case 'CountOp':
      return count(input, op.as?.name);
    case 'TakeOp':
      return take(op, input, cx);
    case 'SampleOp':
      return sample(op, input, cx);
    case 'SampleDistinctOp':
      return sampleDistinct(op, input, cx);
    case 'ProjectByNamesOp':
      return projectByNames(op, input, cx);
    case 'InvokeOp':
      return invoke(op, input, cx);
    case 'TopNestedOp':
      return topNested(op, input, cx, schema);
    case 'ScanOp':
      return scan(op, input, cx);
    case 'PartitionOp':
      return partition(op, input, cx);
    case 'ReduceOp':
      return reduce(op, input, cx);
    case 'TopOp':
      return top(op, input, cx);
    case 'SortOp':
      return sort(op, input, cx);
    case 'DistinctOp':
      return distinct(op, input, cx);
    case 'UnionOp':
      return unionOf(rt, op.tables, op.parameters, [{ name: unionInputName(node.source) ?? 'union_arg0', rel: input }], cx.env);
    case 'JoinOp':
      return join(op, input, evalTabular(rt, op.right, cx.env), cx);
    case 'LookupOp':
      return lookup(op, input, evalTabular(rt, op.right, cx.env), cx);
    case 'MvExpandOp':
      return mvExpand(op, input, cx, schema);
    case 'ParseOp':
    case 'ParseWhereOp':
      return parseOp(op, input, cx);
    case 'ParseKvOp':
      return parseKv(op, input, cx);
    case 'EvaluateOp':
      return evaluate(op, input, cx);
    case 'MakeSeriesOp':
      return makeSeries(op, input, cx, schema);
    case 'MvApplyOp':
      return mvApply(op, input, cx, schema);
    case 'SerializeOp':
      return op.columns.length ? extend({ kind: 'ExtendOp', columns: op.columns, span: op.span }, input, cx) : input;
    case 'AsOp': {
      const rel = input;
      cx.env.vars.set(op.name.name, { kind: 'tabular', get: () => rel });
      return input;
    }
    case 'GetSchemaOp':
      return getschema(input);
    case 'RenderOp':
      return input;
    case 'SearchOp':
      return searchPiped(op, input, unionInputName(node.source) ?? 'union_arg0', cx);
    default: {
      throw new QueryError(`the '${OPERATOR_WORD[op.kind]}' operator is not supported by kqlite's engine yet`, 'KQL4010');
    }
  }
}
