/**
 * Tabular operators after `|`, part 1: the dispatcher and the row-wise and shaping operators.
 * Part 2 (parse-operators-joins.ts) has join/lookup/union/mv-*; part 3 (parse-operators-more.ts) the rest.
 */
import { parseSearchPredicate, searchIsCaseSensitive } from './parse-search.js';
import type { Expr, NamePattern, Operator, SortKey } from './ast.js';
import { parseCallArgs, parseExpression } from './parse-expressions.js';
import { parseColumnAssignments, parseColumnAssignment } from './parse-pipeline.js';
import { parseJoin, parseLookup, parseMvApply, parseMvExpand, parseUnionOp } from './parse-operators-joins.js';
import {
  parseFacet, parseFork, parseMakeSeries, parseParse, parseParseKv, parsePartition, parseScan, parseTopNested,
} from './parse-operators-more.js';
import { parseGraph } from './parse-graph.js';
import { Parser } from './parser.js';
import { parseOutputSchema } from './parse-pipeline.js';

export function parseOperatorByWord(p: Parser, word: string, start: number): Operator {
  switch (word) {
    case 'where':
    case 'filter': {
      // `where x = 1` parses in Kusto (a named expression); the binder reports that it is not a bool predicate
      if (p.isName() && p.isPunct('=', p.tok.kind === 'ident' ? 1 : 3)) {
        const assigns = p.parseIdentifier();
        p.advance();
        return { kind: 'WhereOp', predicate: parseExpression(p), assigns, span: p.spanFrom(start) };
      }
      return { kind: 'WhereOp', predicate: parseExpression(p), span: p.spanFrom(start) };
    }
    case 'project':
      return { kind: 'ProjectOp', columns: parseColumnAssignments(p), span: p.spanFrom(start) };
    case 'extend':
      return { kind: 'ExtendOp', columns: requireSome(p, parseColumnAssignments(p), word), span: p.spanFrom(start) };
    case 'project-away':
      return { kind: 'ProjectAwayOp', columns: parseNamePatterns(p), span: p.spanFrom(start) };
    case 'project-keep':
      return { kind: 'ProjectKeepOp', columns: parseNamePatterns(p), span: p.spanFrom(start) };
    case 'project-rename':
      return parseProjectRename(p, start);
    case 'project-reorder':
      return parseProjectReorder(p, start);
    case 'project-by-names': {
      const names: Expr[] = [];
      do names.push(parseExpression(p));
      while (p.eatPunct(','));
      return { kind: 'ProjectByNamesOp', names, span: p.spanFrom(start) };
    }
    case 'summarize':
      return parseSummarize(p, start);
    case 'count': {
      if (p.eatWord('as')) return { kind: 'CountOp', as: p.parseIdentifier(), span: p.spanFrom(start) };
      return { kind: 'CountOp', span: p.spanFrom(start) };
    }
    case 'take':
    case 'limit':
      p.parseOperatorParameters((n) => n.startsWith('hint.'));
      return { kind: 'TakeOp', count: parseExpression(p), span: p.spanFrom(start) };
    case 'top':
      return parseTop(p, start);
    case 'top-nested':
      return parseTopNested(p, start);
    case 'top-hitters': {
      const count = parseExpression(p);
      p.expectWord('of', 'in top-hitters');
      const of = parseExpression(p);
      const by = p.eatWord('by') ? parseExpression(p) : undefined;
      return { kind: 'TopHittersOp', count, of, ...(by ? { by } : {}), span: p.spanFrom(start) };
    }
    case 'sort':
    case 'order':
      p.parseOperatorParameters((n) => n.startsWith('hint.'));
      p.expectWord('by', `after '${word}'`);
      return { kind: 'SortOp', keys: parseSortKeys(p), span: p.spanFrom(start) };
    case 'distinct': {
      if (p.isPunct('*')) {
        p.advance();
        return { kind: 'DistinctOp', star: true, columns: [], span: p.spanFrom(start) };
      }
      p.parseOperatorParameters((n) => n.startsWith('hint.'));
      const columns = [];
      do columns.push(parseColumnAssignment(p));
      while (p.eatPunct(','));
      return { kind: 'DistinctOp', star: false, columns, span: p.spanFrom(start) };
    }
    case 'union':
      return parseUnionOp(p, start);
    case 'join':
      return parseJoin(p, start);
    case 'lookup':
      return parseLookup(p, start);
    case 'mv-expand':
    case 'mvexpand':
      return parseMvExpand(p, start);
    case 'mv-apply':
    case 'mvapply':
      return parseMvApply(p, start);
    case 'parse':
    case 'parse-where':
      return parseParse(p, start, word === 'parse' ? 'ParseOp' : 'ParseWhereOp');
    case 'parse-kv':
      return parseParseKv(p, start);
    case 'make-series':
      return parseMakeSeries(p, start);
    case 'serialize':
      return { kind: 'SerializeOp', columns: parseColumnAssignments(p), span: p.spanFrom(start) };
    case 'as': {
      const parameters = p.parseOperatorParameters((n) => n.startsWith('hint.'));
      return { kind: 'AsOp', parameters, name: p.parseIdentifier('a name after as'), span: p.spanFrom(start) };
    }
    case 'invoke': {
      const name = p.parseIdentifier('a function name');
      return { kind: 'InvokeOp', call: parseCallArgs(p, name), span: p.spanFrom(start) };
    }
    case 'evaluate': {
      const parameters = p.parseOperatorParameters((n) => n.startsWith('hint.') || n === 'kind');
      const name = p.parseIdentifier('a plugin name');
      const call = parseCallArgs(p, name);
      // optional output schema: `evaluate bag_unpack(d) : (*, Name:string)`
      const outputSchema = p.eatPunct(':') ? parseOutputSchema(p) : undefined;
      return { kind: 'EvaluateOp', parameters, call, ...(outputSchema ? { outputSchema } : {}), span: p.spanFrom(start) };
    }
    case 'getschema':
      return { kind: 'GetSchemaOp', span: p.spanFrom(start) };
    case 'sample':
      return { kind: 'SampleOp', count: parseExpression(p), span: p.spanFrom(start) };
    case 'sample-distinct': {
      const count = parseExpression(p);
      p.expectWord('of', 'in sample-distinct');
      return { kind: 'SampleDistinctOp', count, of: parseExpression(p), span: p.spanFrom(start) };
    }
    case 'render': {
      const chart = p.parseIdentifier('a chart type');
      // legacy form: `render timechart title='x'` (properties without `with`)
      const properties = p.eatWord('with') ? p.parseWithProperties() : p.parseOperatorParameters(() => true);
      return { kind: 'RenderOp', chart, properties, span: p.spanFrom(start) };
    }
    case 'search': {
      const parameters = p.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
      return { kind: 'SearchOp', parameters, predicate: parseSearchPredicate(p, searchIsCaseSensitive(parameters)), span: p.spanFrom(start) };
    }
    case 'scan':
      return parseScan(p, start);
    case 'partition':
      return parsePartition(p, start);
    case 'fork':
      return parseFork(p, start);
    case 'facet':
      return parseFacet(p, start);
    case 'consume':
      return { kind: 'ConsumeOp', parameters: p.parseOperatorParameters(() => true), span: p.spanFrom(start) };
    case 'reduce': {
      const kind = p.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
      p.expectWord('by', 'after reduce');
      const by = parseExpression(p);
      const parameters = [...kind, ...(p.eatWord('with') ? p.parseOperatorParameters(() => true) : [])];
      while (p.eatPunct(',')) parameters.push(...p.parseOperatorParameters(() => true));
      return { kind: 'ReduceOp', by, parameters, span: p.spanFrom(start) };
    }
    case 'execute-and-cache':
      return { kind: 'ExecuteAndCacheOp', span: p.spanFrom(start) };
    default:
      return parseGraph(p, start, word);
  }
}

/** Column name patterns with `*` wildcards: `A*`, `*Id`, `['x']`. */
export function parseNamePatterns(p: Parser): NamePattern[] {
  const out: NamePattern[] = [];
  for (;;) {
    const s = p.start;
    let pattern = '';
    if (p.isName() && p.tok.kind !== 'ident') pattern = p.parseIdentifier().name;
    else {
      while ((p.tok.kind === 'ident' || p.isPunct('*') || (p.tok.kind === 'number' && pattern !== '')) && (pattern === '' || !p.tok.spaced)) pattern += p.advance().text;
    }
    if (pattern === '') {
      p.errorHere('KQL1005', `expected a column name${p.foundText()}`);
      break;
    }
    out.push({ kind: 'NamePattern', pattern, span: p.spanFrom(s) });
    if (!p.eatPunct(',')) break;
  }
  return out;
}

function parseProjectRename(p: Parser, start: number): Operator {
  const renames = [];
  do {
    const s = p.start;
    const newName = p.parseIdentifier('the new column name');
    if (p.eatPunct('=')) {
      // Kusto parses any expression after '=' and refuses at binding what is not a column name
      const value = parseExpression(p);
      if (value.kind === 'NameRef') renames.push({ newName, oldName: { kind: 'Identifier' as const, name: value.name, span: value.span }, span: p.spanFrom(s) });
      else renames.push({ newName, notAName: value, span: p.spanFrom(s) });
    } else renames.push({ newName, span: p.spanFrom(s) });
  } while (p.eatPunct(','));
  return { kind: 'ProjectRenameOp', renames, span: p.spanFrom(start) };
}

function parseProjectReorder(p: Parser, start: number): Operator {
  const columns = [];
  do {
    const s = p.start;
    const [pattern] = parseNamePatternsOne(p);
    let order: 'asc' | 'desc' | 'granny-asc' | 'granny-desc' | undefined;
    const w = p.peekHyphenatedWord();
    if (w && ['asc', 'desc', 'granny-asc', 'granny-desc'].includes(w.word)) {
      order = w.word as typeof order;
      p.skip(w.count);
    }
    columns.push({ pattern: pattern!, ...(order ? { order } : {}), span: p.spanFrom(s) });
  } while (p.eatPunct(','));
  return { kind: 'ProjectReorderOp', columns, span: p.spanFrom(start) };
}

function parseNamePatternsOne(p: Parser): NamePattern[] {
  const s = p.start;
  let pattern = '';
  if (p.isName() && p.tok.kind !== 'ident') pattern = p.parseIdentifier().name;
  else while ((p.tok.kind === 'ident' || p.isPunct('*')) && (pattern === '' || !p.tok.spaced)) pattern += p.advance().text;
  if (pattern === '') p.errorHere('KQL1005', `expected a column name${p.foundText()}`);
  return [{ kind: 'NamePattern', pattern, span: p.spanFrom(s) }];
}

function parseSummarize(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters((n) => n.startsWith('hint.'));
  const aggregates = p.isWord('by') ? [] : parseColumnAssignments(p, ['by']);
  const by = p.eatWord('by') ? parseColumnAssignments(p) : [];
  return { kind: 'SummarizeOp', parameters, aggregates, by, span: p.spanFrom(start) };
}

function parseTop(p: Parser, start: number): Operator {
  p.parseOperatorParameters((n) => n.startsWith('hint.'));
  const count = parseExpression(p);
  p.expectWord('by', 'in top N by expr');
  const [by] = parseSortKeys(p, true);
  return { kind: 'TopOp', count, by: by!, span: p.spanFrom(start) };
}

export function parseSortKeys(p: Parser, single = false): SortKey[] {
  const keys: SortKey[] = [];
  do {
    const s = p.start;
    const expr = parseColumnAssignment(p).expr;
    const key: SortKey = { kind: 'SortKey', expr, span: expr.span };
    if (p.isWord('asc') || p.isWord('desc')) key.order = p.advance().text as 'asc' | 'desc';
    if (p.isWord('nulls') && (p.isWord('first', 1) || p.isWord('last', 1))) {
      p.advance();
      key.nulls = p.advance().text as 'first' | 'last';
    }
    key.span = p.spanFrom(s);
    keys.push(key);
  } while (!single && p.eatPunct(','));
  return keys;
}

function requireSome<T>(p: Parser, items: T[], word: string): T[] {
  if (!items.length) p.errorHere('KQL1004', `expected an expression after ${word}${p.foundText()}`);
  return items;
}
