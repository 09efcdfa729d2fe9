/**
 * Result schemas of the tabular operators: one `bind<Word>` per operator, dispatched by bindOperator.
 * Operators whose output shape depends on data (evaluate plugins, graph operators, scan, partition ...)
 * return an open schema so later references are not reported as unknown.
 */
import type { ColumnDecl, Expr, InvokeOp, NamedArg, NamePattern, Operator } from '../syntax/ast.js';
import { fileProfileSchema, SEEN_BY_COLUMN } from './defender-functions.js';
import { Binder, OPEN_SCHEMA, Scope, type Row } from './binder.js';
import { bindExpr, reportUnknownColumn } from './bind-expressions.js';
import { bindJoin, bindLookup, bindMakeSeries, bindMvApply, bindMvExpand, bindScan, bindSummarize, bindTopNested } from './bind-operators-shape.js';
import { bindAssignments, bindTabular, bindUnion, isTabular, userFunctionResult } from './bind-tabular.js';
import { bindGraphOp, checkGraphFlow } from './bind-graph.js';
import { SEMANTIC } from './codes.js';
import { bindDeviceFromIp } from './bind-defender.js';
import { pluginSchema } from './plugin-schemas.js';
import { upsertColumn, uniqueName } from './naming.js';
import type { ColumnSchema, TableSchema } from './types.js';
import { reorderColumns } from './reorder.js';

/** The KQL word of each operator node, for messages and the engine-capability check. */
export const OPERATOR_WORD: Record<Operator['kind'], string> = {
  WhereOp: 'where', ProjectOp: 'project', ProjectAwayOp: 'project-away', ProjectKeepOp: 'project-keep',
  ProjectRenameOp: 'project-rename', ProjectReorderOp: 'project-reorder', ProjectByNamesOp: 'project-by-names',
  ExtendOp: 'extend', SummarizeOp: 'summarize', CountOp: 'count', TakeOp: 'take', TopOp: 'top',
  TopNestedOp: 'top-nested', TopHittersOp: 'top-hitters', SortOp: 'sort', DistinctOp: 'distinct', UnionOp: 'union',
  JoinOp: 'join', LookupOp: 'lookup', MvExpandOp: 'mv-expand', MvApplyOp: 'mv-apply', ParseOp: 'parse',
  ParseWhereOp: 'parse-where', ParseKvOp: 'parse-kv', MakeSeriesOp: 'make-series', SerializeOp: 'serialize',
  AsOp: 'as', InvokeOp: 'invoke', EvaluateOp: 'evaluate', GetSchemaOp: 'getschema', SampleOp: 'sample',
  SampleDistinctOp: 'sample-distinct', RenderOp: 'render', SearchOp: 'search', ScanOp: 'scan',
  PartitionOp: 'partition', ForkOp: 'fork', FacetOp: 'facet', ConsumeOp: 'consume', ReduceOp: 'reduce',
  ExecuteAndCacheOp: 'execute-and-cache', GraphOp: 'graph',
};

export function bindOperator(b: Binder, op: Operator, inputOrGraph: TableSchema, scope: Scope): TableSchema {
  const word = op.kind === 'GraphOp' ? op.operator : OPERATOR_WORD[op.kind];
  const input = checkGraphFlow(b, word, inputOrGraph, { start: op.span.start, end: op.span.start + word.length });
  if (b.options.engineOperators && !b.options.engineOperators.has(word)) {
    b.error(SEMANTIC.unsupportedOperator, `the '${word}' operator is not supported by kqlite's engine`, { start: op.span.start, end: op.span.start + word.length });
  }
  const row: Row = { schema: input };
  const expr = (e: Expr) => bindExpr(b, e, scope, row);
  switch (op.kind) {
    case 'WhereOp': {
      const t = expr(op.predicate);
      // `where x = <bool>` is a named bool and passes in Kusto; `where x = "a"` does not
      if (t !== undefined && t !== 'bool' && t !== 'dynamic') {
        if (op.assigns) b.error(SEMANTIC.typeMismatch, `the where predicate must be bool, not ${t}: '${op.assigns.name} = ...' names a value (did you mean '=='?)`, op.assigns.span);
        else b.error(SEMANTIC.typeMismatch, `the where predicate must be bool, not ${t}`, op.predicate.span);
      }
      return input;
    }
    case 'ProjectOp': {
      let n = 0;
      const cols = bindAssignments(b, op.columns, scope, row, () => `Column${++n}`);
      const out: ColumnSchema[] = [];
      for (const c of cols) out.push({ ...c, name: uniqueName(out, c.name) });
      return { columns: out, open: input.open };
    }
    case 'ExtendOp': {
      const out = [...input.columns];
      let n = 0;
      for (const c of bindAssignments(b, op.columns, scope, row, () => {
        let name: string;
        do name = `Column${++n}`;
        while (out.some((x) => x.name === name));
        return name;
      })) upsertColumn(out, c);
      return { columns: out, open: input.open };
    }
    case 'ProjectAwayOp':
      reportMissingPatterns(b, op.columns, input);
      return { columns: input.columns.filter((c) => !matchesAny(op.columns, c.name)), open: input.open };
    case 'ProjectKeepOp':
      reportMissingPatterns(b, op.columns, input);
      return { columns: input.columns.filter((c) => matchesAny(op.columns, c.name)), open: input.open };
    case 'ProjectRenameOp': {
      const out = input.columns.map((c) => ({ ...c }));
      for (const r of op.renames) {
        if (r.notAName) {
          b.error(SEMANTIC.typeMismatch, `project-rename takes an existing column's name after '${r.newName.name} =', not an expression (use extend to compute a column)`, r.notAName.span);
          continue;
        }
        if (!r.oldName) {
          b.error(SEMANTIC.typeMismatch, `project-rename needs 'NewName = ExistingName', not just '${r.newName.name}'`, r.span);
          continue;
        }
        const col = out.find((c) => c.name === r.oldName!.name);
        if (col) col.name = r.newName.name;
        else if (!input.open) reportUnknownColumn(b, r.oldName.name, r.oldName.span, input.columns.map((c) => c.name));
      }
      return { columns: out, open: input.open };
    }
    case 'ProjectReorderOp':
      // a name no column has is an error, as in project-away (Kusto.Language: KS142)
      reportMissingPatterns(b, op.columns.map((c) => c.pattern), input);
      return { columns: reorderColumns(input.columns, op.columns), open: input.open };
    case 'ProjectByNamesOp': {
      op.names.forEach(expr);
      // names given as string literals (wildcards allowed): the matching columns in the order named, as the
      // engine keeps them; computed names leave the result open
      const patterns = op.names.flatMap((n) => (n.kind !== 'Literal' ? [undefined] : Array.isArray(n.value) ? n.value : [n.value]));
      if (input.open || patterns.some((p) => typeof p !== 'string')) return OPEN_SCHEMA;
      const columns: ColumnSchema[] = [];
      for (const p of patterns as string[]) for (const c of input.columns) if (globMatch(p, c.name) && !columns.includes(c)) columns.push(c);
      return { columns };
    }
    case 'SummarizeOp':
      return bindSummarize(b, op, input, scope);
    case 'CountOp':
      return { columns: [{ name: op.as?.name ?? 'Count', type: 'long' }] };
    case 'TakeOp':
    case 'SampleOp':
      bindExpr(b, op.count, scope, undefined);
      return input;
    case 'TopOp':
      bindExpr(b, op.count, scope, undefined);
      expr(op.by.expr);
      return input;
    case 'TopHittersOp':
      expr(op.of);
      return { columns: [{ name: 'ApproximateCount', type: 'long' }], open: true };
    case 'SortOp':
      for (const k of op.keys) expr(k.expr);
      return input;
    case 'DistinctOp': {
      if (op.star) return input;
      let n = 0;
      const out: ColumnSchema[] = [];
      for (const c of bindAssignments(b, op.columns, scope, row, () => `Column${++n}`)) out.push({ ...c, name: uniqueName(out, c.name) });
      return { columns: out, open: input.open };
    }
    case 'UnionOp':
      return bindUnion(b, op.tables, op.parameters, scope, [input]);
    case 'JoinOp':
      return bindJoin(b, op, input, scope);
    case 'LookupOp':
      return bindLookup(b, op, input, scope);
    case 'MvExpandOp':
      return bindMvExpand(b, op, input, scope);
    case 'MvApplyOp':
      return bindMvApply(b, op, input, scope);
    case 'ParseOp':
    case 'ParseWhereOp': {
      expr(op.source);
      const out = [...input.columns];
      for (const part of op.pattern) if (part.kind === 'ParseColumn') upsertColumn(out, { name: part.name.name, type: part.type ?? 'string' });
      return { columns: out, open: input.open };
    }
    case 'ParseKvOp': {
      expr(op.source);
      const out = [...input.columns];
      for (const c of op.columns) upsertColumn(out, declToColumn(c));
      return { columns: out, open: input.open };
    }
    case 'MakeSeriesOp':
      return bindMakeSeries(b, op, input, scope);
    case 'TopNestedOp':
      return bindTopNested(b, op, input, scope);
    case 'SerializeOp': {
      const out = [...input.columns];
      let n = 0;
      for (const c of bindAssignments(b, op.columns, scope, row, () => `Column${++n}`)) upsertColumn(out, c);
      return { columns: out, open: input.open };
    }
    case 'AsOp':
      scope.symbols.set(op.name.name, { kind: 'tabular', schema: input });
      return input;
    case 'GetSchemaOp':
      return { columns: [{ name: 'ColumnName', type: 'string' }, { name: 'ColumnOrdinal', type: 'int' }, { name: 'DataType', type: 'string' }, { name: 'ColumnType', type: 'string' }] };
    case 'SampleDistinctOp':
      bindExpr(b, op.count, scope, undefined);
      return { columns: [{ name: op.of.kind === 'NameRef' ? op.of.name : 'Column1', type: expr(op.of) }] };
    case 'RenderOp':
    case 'ConsumeOp':
    case 'ExecuteAndCacheOp':
      return input;
    case 'SearchOp':
      bindExpr(b, op.predicate, scope, { schema: { ...input, open: true } });
      return { columns: [{ name: '$table', type: 'string' }, ...input.columns], open: input.open };
    case 'EvaluateOp': {
      const plugin = op.call.name.name;
      b.calls.set(op.call, { kind: 'plugin', name: plugin });
      if (b.options.enginePlugins && !b.options.enginePlugins.has(plugin)) {
        b.error(SEMANTIC.unsupportedPlugin, `the '${plugin}' plugin is not supported by kqlite's engine`, op.call.name.span);
      }
      // pivot(column, aggregate(...), ...) takes an aggregation as its second argument
      const aggregates = plugin.toLowerCase() === 'pivot';
      const keyed = plugin === 'ipv4_lookup' || plugin === 'ipv6_lookup' ? bindIpLookupKeys(b, op.call.args, input, scope) : 0;
      for (const a of op.call.args.slice(keyed)) bindExpr(b, a.kind === 'NamedArg' ? a.value : a, scope, { schema: { ...input, open: true }, aggregates });
      if (op.outputSchema) return { columns: op.outputSchema.columns.map(declToColumn), open: op.outputSchema.open };
      if (plugin === 'bag_unpack') return bagUnpackSchema(op.call.args, input);
      if (plugin === 'geo_line_lookup' || plugin === 'geo_polygon_lookup') return geoLookupSchema(b, op.call.args, input, scope, 8);
      if (keyed === 3) return ipLookupSchema(b, op.call.args, input, plugin === 'ipv6_lookup');
      const positional = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
      const isTable = (e: Expr) => e.kind === 'NameRef' && (scope.lookup(e.name)?.kind === 'tabular' || b.options.catalog.tables.has(e.name));
      return pluginSchema(plugin, positional, input, (e) => b.types.get(e) ?? 'dynamic', isTable) ?? OPEN_SCHEMA;
    }
    case 'ScanOp':
      return bindScan(b, op, input, scope);
    case 'ReduceOp': {
      expr(op.by);
      for (const x of op.parameters) if (x.name.name === 'threshold' || x.name.name === 'characters') expr(x.value);
      // Pattern, Count, Representative per group; kind=source keeps the rows and adds their Pattern
      const source = op.parameters.some((x) => x.name.name === 'kind' && x.value.kind === 'NameRef' && x.value.name === 'source');
      const pattern: ColumnSchema = { name: 'Pattern', type: 'string' };
      if (source) return { columns: [...input.columns.filter((c) => c.name !== 'Pattern'), pattern], open: input.open };
      return { columns: [pattern, { name: 'Count', type: 'long' }, { name: 'Representative', type: 'string' }] };
    }
    case 'InvokeOp':
      return bindInvoke(b, op, input, scope);
    case 'PartitionOp':
    case 'ForkOp':
    case 'FacetOp':
      bindNested(b, op, input, scope);
      return OPEN_SCHEMA;
    case 'GraphOp':
      return bindGraphOp(b, op, input, scope);
  }
}

/**
 * `invoke f(args)`: a user function's result is open; Defender's FileProfile(x, y), SeenBy() and
 * DeviceFromIP(y), when the query defines no function of that name, give their documented columns
 * (kql/semantics/defender-functions.ts).
 */
function bindInvoke(b: Binder, op: InvokeOp, input: TableSchema, scope: Scope): TableSchema {
  if (op.call.name.name === 'FileProfile' && !scope.lookup('FileProfile')) {
    const row: Row = { schema: input };
    op.call.args.forEach((a, i) => {
      const x = a.kind === 'NamedArg' ? a.value : a;
      // FileProfile(SHA256): a bare file-id column name; a column the input lacks is for the engine to report
      if (!(i === 0 && x.kind === 'NameRef')) bindExpr(b, x, scope, row);
    });
    return { columns: fileProfileSchema(input.columns), open: input.open };
  }
  if (op.call.name.name === 'SeenBy' && !scope.lookup('SeenBy') && op.call.args.length === 0) {
    return { columns: [...input.columns.filter((c) => c.name !== SEEN_BY_COLUMN.name), SEEN_BY_COLUMN], open: input.open };
  }
  if (op.call.name.name === 'DeviceFromIP' && !scope.lookup('DeviceFromIP')) return bindDeviceFromIp(b, op.call, input, scope);
  const sym = scope.lookup(op.call.name.name);
  if (sym?.kind === 'function') {
    // invoke f(a, b) is f(input, a, b): bound with the input as its first (tabular) parameter
    const args = op.call.args.map((a) => {
      const x = a.kind === 'NamedArg' ? a.value : a;
      if (isTabular(b, x, scope)) return bindTabular(b, x, scope);
      bindExpr(b, x, scope, { schema: OPEN_SCHEMA });
      return undefined;
    });
    return userFunctionResult(b, sym, [input, ...args]);
  }
  bindNested(b, op, input, scope);
  return OPEN_SCHEMA;
}

function declToColumn(c: ColumnDecl): ColumnSchema {
  return { name: c.name.name, type: c.type };
}

/** Sub-queries of partition/fork/facet bind against the operator's input as their implicit source. */
function bindNested(b: Binder, op: Operator, input: TableSchema, scope: Scope): void {
  const subs = op.kind === 'PartitionOp' ? [op.subquery] : op.kind === 'ForkOp' ? op.branches.map((x) => x.subquery) : op.kind === 'FacetOp' && op.with ? [op.with] : [];
  for (const s of subs) {
    b.implicit.push(input);
    const inner = new Scope(scope);
    // `partition by Col { ... }`: inside the braces the partition's key value is a scalar named like the column.
    if (op.kind === 'PartitionOp' && op.by.kind === 'NameRef') {
      inner.symbols.set(op.by.name, { kind: 'scalar', type: input.columns.find((c) => c.name === (op.by as { name: string }).name)?.type ?? 'dynamic' });
    }
    try {
      bindTabular(b, s, inner);
    } finally {
      b.implicit.pop();
    }
  }
}

export function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return re.test(name);
}

function matchesAny(patterns: NamePattern[], name: string): boolean {
  return patterns.some((p) => globMatch(p.pattern, name));
}

export function reportMissingPatterns(b: Binder, patterns: NamePattern[], input: TableSchema): void {
  if (input.open) return;
  for (const p of patterns) {
    if (!input.columns.some((c) => globMatch(p.pattern, c.name)) && !p.pattern.includes('*')) {
      reportUnknownColumn(b, p.pattern, p.span, input.columns.map((c) => c.name));
    }
  }
}

/**
 * `bag_unpack(d)`: the input's other columns keep their names and types (the engine passes them through),
 * the bag's properties are columns unknown until run time. Only `columnsConflict=replace_source` may change
 * a kept column's type, so then nothing is known.
 */
function bagUnpackSchema(args: readonly (Expr | NamedArg)[], input: TableSchema): TableSchema {
  const target = args[0];
  const replaces = args.some((a) => a.kind === 'NamedArg' && a.name.name === 'columnsConflict' && a.value.kind === 'Literal' && a.value.value === 'replace_source');
  if (!target || target.kind !== 'NameRef' || replaces) return OPEN_SCHEMA;
  return { columns: input.columns.filter((c) => c.name !== target.name), open: true };
}

/**
 * `geo_line_lookup` / `geo_polygon_lookup(LookupTable, KeyColumn, ...)`: the input's columns, then the lookup
 * table's but its shape column, as the engine joins them. With return_lookup_key given, or a lookup column
 * named like an input column, only the input's columns are known (the rest left open).
 */
/** (both plugins take return_lookup_key as their 8th argument) */
/**
 * ipv4_lookup / ipv6_lookup(LookupTable, SourceColumn, RangeColumn, ...): the table must exist, the source
 * column is the input's and the range column the lookup table's (Kusto reports each unknown name). Returns
 * how many leading arguments it bound.
 */
function bindIpLookupKeys(b: Binder, args: readonly (Expr | NamedArg)[], input: TableSchema, scope: Scope): number {
  const [table, source, range] = args;
  if (!table || table.kind === 'NamedArg' || !(table.kind === 'NameRef' || isTabular(b, table, scope))) return 0;
  const lookup = bindTabular(b, table, scope);
  if (!source || source.kind !== 'NameRef') return 1;
  bindExpr(b, source, scope, { schema: input });
  if (!range || range.kind !== 'NameRef') return 2;
  bindExpr(b, range, scope, { schema: lookup });
  return 3;
}

/**
 * ipv4_lookup / ipv6_lookup: the input's columns and the lookup table's, less the extra key columns (named
 * alike on both sides), in the order the engine writes them (ip-lookup.ts). A lookup column named like an
 * input column leaves the result open (Kusto.Language renames it `x1`; the engine does not yet).
 */
function ipLookupSchema(b: Binder, args: readonly (Expr | NamedArg)[], input: TableSchema, lookupFirst: boolean): TableSchema {
  const lookup = b.schemas.get(args[0] as Expr);
  if (!lookup || lookup.open || input.open) return OPEN_SCHEMA;
  const keys = new Set(args.slice(3).flatMap((a) => (a.kind === 'NameRef' ? [a.name] : [])));
  const added = lookup.columns.filter((c) => !(keys.has(c.name) && input.columns.some((x) => x.name === c.name)));
  if (added.some((c) => input.columns.some((x) => x.name === c.name))) return { columns: input.columns, open: true };
  return { columns: lookupFirst ? [...added, ...input.columns] : [...input.columns, ...added] };
}

function geoLookupSchema(b: Binder, args: readonly (Expr | NamedArg)[], input: TableSchema, scope: Scope, keySlot: number): TableSchema {
  const [table, key] = args;
  if (!table || table.kind === 'NamedArg' || !isTabular(b, table, scope)) return OPEN_SCHEMA;
  const lookup = bindTabular(b, table, scope);
  const returnsKey = args.some((a) => a.kind === 'NamedArg' && a.name.name === 'return_lookup_key') || args.filter((a) => a.kind !== 'NamedArg').length >= keySlot;
  const added = lookup.columns.filter((c) => !(key && key.kind === 'NameRef' && c.name === key.name));
  if (returnsKey || lookup.open || input.open || added.some((c) => input.columns.some((x) => x.name === c.name))) return { columns: input.columns, open: true };
  return { columns: [...input.columns, ...added], open: false };
}
