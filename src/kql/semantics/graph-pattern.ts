/**
 * The variables of a graph pattern (`(a)-[e*1..3]->(b), (b)--(c)`): which names are nodes and which are
 * edges, and how the edges connect the node variables. Shared by the binder (checks, types) and the engine
 * (the traversal plan), so both read a pattern the same way.
 */
import type { Span } from '../../common/span.js';
import type { GraphPath, NameRef } from '../syntax/ast.js';

export interface PatternEdge {
  /** The variable name, or a generated `$edgeN` for an anonymous edge. */
  name: string;
  anonymous: boolean;
  /** Node variable ids at the edge's left and right in the pattern text. */
  left: number;
  right: number;
  direction: 'forward' | 'backward' | 'any';
  /** Variable length edges (`*min..max`); fixed edges have min = max = 1 and variable = false. */
  variable: boolean;
  min: number;
  max: number;
  span: Span;
}

export interface PatternPlan {
  /** Node variable names by id; anonymous nodes get `$nodeN` (each one is its own variable). */
  nodes: string[];
  edges: PatternEdge[];
  /** Named variables: nodes by id, edges by index into `edges`. */
  vars: Map<string, { kind: 'node'; id: number } | { kind: 'edge'; index: number; variable: boolean }>;
  /** For each path in the pattern, the node ids of its node elements in order. */
  pathNodes: number[][];
  problems: { message: string; span: Span }[];
}

/** `bound` evaluates a length written as a name (`*1..maxHops`); without it such lengths read as 1. */
export function analyzePattern(paths: GraphPath[], bound?: (name: NameRef) => number): PatternPlan {
  const plan: PatternPlan = { nodes: [], edges: [], vars: new Map(), pathNodes: [], problems: [] };
  const nodeId = (name: string | undefined, span: Span): number => {
    if (name === undefined) {
      plan.nodes.push(`$node${plan.nodes.length}`);
      return plan.nodes.length - 1;
    }
    const v = plan.vars.get(name);
    if (v?.kind === 'node') return v.id;
    if (v) plan.problems.push({ message: `'${name}' names an edge of the pattern; it cannot also name a node`, span });
    plan.nodes.push(name);
    plan.vars.set(name, { kind: 'node', id: plan.nodes.length - 1 });
    return plan.nodes.length - 1;
  };
  for (const path of paths) {
    const ids = path.nodes.map((n) => nodeId(n.name?.name, n.span));
    plan.pathNodes.push(ids);
    path.edges.forEach((e, i) => {
      const name = e.name?.name;
      const index = plan.edges.length;
      if (name !== undefined) {
        if (plan.vars.has(name)) plan.problems.push({ message: `'${name}' is already a variable of the pattern; each edge needs its own name`, span: e.span });
        else plan.vars.set(name, { kind: 'edge', index, variable: !!e.range });
      }
      plan.edges.push({
        name: name ?? `$edge${index}`, anonymous: name === undefined, left: ids[i]!, right: ids[i + 1]!, direction: e.direction,
        variable: !!e.range, span: e.span,
        min: e.range?.minName && bound ? bound(e.range.minName) : (e.range?.min ?? 1),
        max: e.range?.maxName && bound ? bound(e.range.maxName) : (e.range?.max ?? 1),
      });
    });
  }
  // The sequences must form one connected pattern: each shares a node variable with another, transitively.
  const reached = new Set(plan.pathNodes[0] ?? []);
  const joined = new Set([0]);
  for (let grew = true; grew; ) {
    grew = false;
    plan.pathNodes.forEach((ids, i) => {
      if (joined.has(i) || !ids.some((id) => reached.has(id))) return;
      joined.add(i);
      for (const id of ids) reached.add(id);
      grew = true;
    });
  }
  plan.pathNodes.forEach((_, i) => {
    if (!joined.has(i)) plan.problems.push({ message: 'each comma-separated pattern must share a named node with the others (only connected patterns are supported)', span: paths[i]!.span });
  });
  return plan;
}
