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

/** Depth-first, parents before children; return false from `visit` to skip a node's children. */
export function walk(node: AnyTreeNode, visit: (n: AnyTreeNode, parent: AnyTreeNode | undefined) => boolean | void, parent?: AnyTreeNode): void {
  if (visit(node, parent) === false) return;
  for (const c of children(node)) walk(c, visit, node);
}

/** The top-level `and` operands of a predicate, parentheses looked through (`a and (b and c)` → a, b, c). */
export function conjuncts(e: Expr | undefined, out: Expr[] = []): Expr[] {
  if (!e) return out;
  if (e.kind === 'ParenExpr') return conjuncts(e.expr, out);
  if (e.kind === 'BinaryExpr' && e.op === 'and') {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}
