/**
 * Generic traversal of the syntax tree. Children are found structurally (any property holding a node or
 * an array of nodes), so new node kinds need no change here.
 */
import type { Span } from '../../common/span.js';
import type { Expr } from './ast.js';

export interface AnyTreeNode {
  kind: string;
  span: Span;
}

function isNode(v: unknown): v is AnyTreeNode {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { span?: unknown }).span === 'object';
}

/** Direct child nodes in source order. */
export function children(node: AnyTreeNode): AnyTreeNode[] {
  const out: AnyTreeNode[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isNode(v)) out.push(v);
    else if (typeof v === 'object' && v !== null && 'span' in v) {
      // plain records with a span but no kind (e.g. project-rename pairs): descend into them
      for (const [k, x] of Object.entries(v as object)) if (k !== 'span') visit(x);
    }
  };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span' || key === 'kind') continue;
    // `value` is a literal's decoded value (a plain value), but a let's or a named argument's expression
    if (key === 'value' && !isNode(value)) continue;
    visit(value);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/**
 * Depth-first, parents before children; return false from `visit` to skip a node's children. Iterative (an
 * explicit stack), so a chain of thousands of operators or pipes is walked like any other tree.
 */
export function walk(node: AnyTreeNode, visit: (n: AnyTreeNode, parent: AnyTreeNode | undefined) => boolean | void, parent?: AnyTreeNode): void {
  const stack: [AnyTreeNode, AnyTreeNode | undefined][] = [[node, parent]];
  while (stack.length) {
    const [n, p] = stack.pop()!;
    if (visit(n, p) === false) continue;
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, n]);
  }
}

/** `e` with any parentheses around it looked through (`((x))` → x). */
export function unparen(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}

/** The top-level `and` operands of a predicate, parentheses looked through (`a and (b and c)` → a, b, c). */
export function conjuncts(e: Expr | undefined, out: Expr[] = []): Expr[] {
  if (!e) return out;
  // depth-first, left to right, without recursion (a predicate may chain thousands of `and`s)
  const stack: Expr[] = [e];
  while (stack.length) {
    let x = stack.pop()!;
    while (x.kind === 'ParenExpr') x = x.expr;
    if (x.kind === 'BinaryExpr' && x.op === 'and') {
      stack.push(x.right, x.left);
    } else out.push(x);
  }
  return out;
}
