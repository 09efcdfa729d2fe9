/**
 * The columns of a `union`, shared by the binder (result schema) and the engine (which input column feeds
 * which output column), so both always agree. `kind=outer` (the default) keeps every column in order of
 * first appearance; a name that arrives with more than one type becomes one column per type, side by side
 * where the name first appears, named `<name>_<type>` (a number is appended when that name is already an
 * input column: `x_long1`).
 * `kind=inner` keeps the columns (name and type) that every input has.
 */
import type { ColumnSchema } from './types.js';

export interface UnionPlan {
  columns: ColumnSchema[];
  /** sources[i][j]: the output column that input i's column j feeds, or -1 when it is dropped. */
  sources: number[][];
}

/**
 * `dynamicMatchesAny`: the binder's lenient mode. Columns of tables it does not know read as dynamic, so a
 * dynamic/other type difference may not be real there: such a name stays one column (first type wins)
 * rather than raising false "unknown column" errors downstream. The engine, which sees real types, plans
 * strictly.
 */
export function planUnion(inputs: readonly (readonly ColumnSchema[])[], inner: boolean, dynamicMatchesAny = false): UnionPlan {
  if (inner) {
    const [head = [], ...rest] = inputs;
    const columns = head.filter((c) => rest.every((s) => s.some((x) => x.name === c.name && x.type === c.type)));
    const at = new Map(columns.map((c, i) => [`${c.name}\u0000${c.type}`, i]));
    return { columns, sources: inputs.map((s) => s.map((c) => at.get(`${c.name}\u0000${c.type}`) ?? -1)) };
  }
  const typesOf = new Map<string, Set<ColumnSchema['type']>>();
  for (const s of inputs) for (const c of s) (typesOf.get(c.name) ?? typesOf.set(c.name, new Set()).get(c.name)!).add(c.type);
  const conflicting = (name: string) => {
    const types = typesOf.get(name)!;
    return types.size > 1 && !(dynamicMatchesAny && types.has('dynamic'));
  };
  // names that stay as they are: they are taken before any type-suffixed name is chosen
  const taken = new Set([...typesOf.keys()].filter((n) => !conflicting(n)));
  // one column per name in order of first appearance; a conflicting name's per-type columns sit together
  // there, in order of each type's first appearance (as Kusto orders them)
  const columns: ColumnSchema[] = [];
  const index = new Map<string, number>();
  for (const [name, types] of typesOf) {
    if (!conflicting(name)) {
      index.set(name, columns.length);
      columns.push({ name, type: [...types][0]! });
      continue;
    }
    for (const type of types) {
      let typed = `${name}_${type}`;
      for (let n = 1; taken.has(typed); n++) typed = `${name}_${type}${n}`;
      taken.add(typed);
      index.set(`${name}\u0000${type}`, columns.length);
      columns.push({ name: typed, type });
    }
  }
  const sources = inputs.map((s) => s.map((c) => index.get(conflicting(c.name) ? `${c.name}\u0000${c.type}` : c.name)!));
  return { columns, sources };
}
