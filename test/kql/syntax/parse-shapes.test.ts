// The tree shapes the binder and engine rely on, for representative constructs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../../src/kql/syntax/index.js';
import type { Expr, Literal, PipeExpr } from '../../../src/kql/syntax/index.js';

function query(text: string): Expr {
  const { script, diagnostics } = parse(text);
  assert.deepEqual(diagnostics, [], text);
  const last = script.statements[script.statements.length - 1]!;
  assert.equal(last.kind, 'QueryStatement');
  return (last as { expr: Expr }).expr;
}

function literal(text: string): Literal {
  const e = query(`print ${text}`);
  assert.equal(e.kind, 'PrintExpr');
  return (e as { columns: { expr: Literal }[] }).columns[0]!.expr;
}

test('pipelines nest left to right', () => {
  const e = query('T | where a > 1 | take 5') as PipeExpr;
  assert.equal(e.kind, 'PipeExpr');
  assert.equal(e.op.kind, 'TakeOp');
  assert.equal((e.source as PipeExpr).op.kind, 'WhereOp');
});

test('precedence: and binds tighter than or, comparisons tighter than and', () => {
  const e = query('T | where a == 1 or b == 2 and c has "x"') as PipeExpr;
  const p = (e.op as { predicate: Expr & { op: string; right: Expr & { op: string } } }).predicate;
  assert.equal(p.op, 'or');
  assert.equal(p.right.op, 'and');
});

test('literals decode exactly', () => {
  assert.equal(literal('datetime(2015-12-31 23:59:59.1234567)').value, 14516063991234567n);
  assert.equal(literal('datetime(2015-12-31T23:59:59Z)').value, 14516063990000000n);
  assert.equal(literal('1d').value, 864000000000n);
  assert.equal(literal('1.5h').value, 54000000000n);
  assert.equal(literal('10microsecond').value, 100n);
  assert.equal(literal('1tick').value, 1n);
  assert.equal(literal('time(1.02:03:04)').value, 937840000000n);
  assert.equal(literal('timespan(00:00:01.5)').value, 15000000n);
  assert.equal(literal('long(null)').value, null);
  assert.ok(Number.isNaN(literal('real(nan)').value as number));
  assert.equal(literal('@"c:\\temp"').value, 'c:\\temp');
  assert.equal(literal("'a\\tb'").value, 'a\tb');
  assert.equal(literal("'a' 'b'").value, 'ab');
  assert.deepEqual(literal('dynamic({"a": [1, 2, {"b": null}], "c": -1.5})').value, { a: [1, 2, { b: null }], c: -1.5 });
  assert.equal(literal('guid(74be27de-1e4e-49d9-b579-fe0b331d3642)').value, '74be27de-1e4e-49d9-b579-fe0b331d3642');
  assert.equal(literal('datetime(Sat, 8 Nov 14 15:05:02 GMT)').value, 14154591020000000n);
  assert.equal(literal('```multi\nline```').value, 'multi\nline');
});

test('operators with hyphens and negations', () => {
  const e = query('T | project-away A* | where x !has "y" and z !in~ ("a") | mv-expand with_itemindex=i d to typeof(long)') as PipeExpr;
  assert.equal(e.op.kind, 'MvExpandOp');
  const where = (e.source as PipeExpr).op as { predicate: { left: { op: string }; right: { op: string } } };
  assert.equal(where.predicate.left.op, '!has');
  assert.equal(where.predicate.right.op, '!in~');
  assert.equal(((e.source as PipeExpr).source as PipeExpr).op.kind, 'ProjectAwayOp');
});

test('let forms: scalar, tabular, function with typed and default parameters, view', () => {
  const { script, diagnostics } = parse('let a = 1; let T2 = T | take 1; let f = (x:long, U:(a:string, *), y:string = "d") { x + 1 }; let v = view () { T }; f(1)');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(script.statements.map((s) => s.kind), ['LetStatement', 'LetStatement', 'LetStatement', 'LetStatement', 'QueryStatement']);
  const f = script.statements[2] as { value: { kind: string; parameters: { default?: unknown; type: { kind: string } }[] } };
  assert.equal(f.value.kind, 'FunctionDecl');
  assert.equal(f.value.parameters[1]!.type.kind, 'TabularParamType');
  assert.ok(f.value.parameters[2]!.default);
});

test('join on forms', () => {
  const e = query('T | join kind=leftouter hint.strategy=shuffle (U | where b) on a, $left.x == $right.y') as PipeExpr;
  const j = e.op as { kind: string; parameters: { name: { name: string } }[]; on: Expr[] };
  assert.equal(j.kind, 'JoinOp');
  assert.deepEqual(j.parameters.map((p) => p.name.name), ['kind', 'hint.strategy']);
  assert.equal(j.on.length, 2);
});
