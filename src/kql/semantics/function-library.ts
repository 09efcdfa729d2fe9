/**
 * Stored functions the binder and the engine resolve like tables: ASIM and other parsers (`_Im_Dns`,
 * `imFileEvent`, `_ASim_NetworkSession`, solution functions) defined as KQL in a synced rule source, and
 * built-ins such as `_GetWatchlist`. A library function is a `let name = (params) { body }` statement parsed
 * once; a query that names one gets it (and what it calls, transitively) as a prelude bound before the
 * query, so user lets still shadow it. Problems inside a library body are the library's, not the rule's:
 * they are kept on the function and never reported against a query that calls it.
 */
import type { Diagnostic } from '../../common/diagnostics.js';
import { parse, walk } from '../syntax/index.js';
import type { LetStatement, Script } from '../syntax/ast.js';

export interface LibraryFunctionDef {
  /** Every name the function answers to (e.g. `imDns` and `_Im_Dns`). */
  names: string[];
  /** Parameters as KQL declares them: `starttime:datetime=datetime(null)`. */
  params: { name: string; type: string; default?: string }[];
  body: string;
  /** Where it came from (source and path), for messages. */
  origin: string;
}

export interface LibraryFunction {
  name: string;
  origin: string;
  statement: LetStatement;
  /** Names of other library functions (or tables) the body mentions; resolved lazily. */
  mentions: string[];
  problems: Diagnostic[];
}

export interface FunctionLibrary {
  get(name: string): LibraryFunction | undefined;
  has(name: string): boolean;
  size: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Builds the `let` text of a definition; undefined when a name or parameter is not a KQL identifier. */
export function functionText(name: string, def: LibraryFunctionDef): string | undefined {
  if (!IDENT.test(name) || def.params.some((p) => !IDENT.test(p.name))) return undefined;
  const params = def.params.map((p) => `${p.name}:${p.type || 'string'}${p.default !== undefined && p.default !== '' ? `=${p.default}` : ''}`).join(', ');
  return `let ${name} = (${params}) {\n${def.body.replace(/;\s*$/, '')}\n};`;
}

/** A library over definitions; each body is parsed the first time a query needs it. */
export function createLibrary(defs: Iterable<LibraryFunctionDef>): FunctionLibrary {
  const byName = new Map<string, { def: LibraryFunctionDef; name: string }>();
  for (const def of defs) for (const n of def.names) if (IDENT.test(n) && !byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), { def, name: n });
  const parsed = new Map<string, LibraryFunction | null>();
  return {
    size: byName.size,
    has: (name) => byName.has(name.toLowerCase()),
    get(name) {
      const key = name.toLowerCase();
      const hit = parsed.get(key);
      if (hit !== undefined) return hit ?? undefined;
      const entry = byName.get(key);
      if (!entry) return undefined;
      const text = functionText(name, entry.def);
      let fn: LibraryFunction | null = null;
      if (text) {
        const { script, diagnostics } = parse(text);
        const st = script.statements[0];
        if (st?.kind === 'LetStatement' && st.value.kind === 'FunctionDecl') fn = { name, origin: entry.def.origin, statement: st, mentions: mentionedNames(script), problems: diagnostics };
      }
      parsed.set(key, fn);
      return fn ?? undefined;
    },
  };
}

function mentionedNames(script: Script): string[] {
  const out = new Set<string>();
  walk(script, (n) => {
    const node = n as { kind: string; name?: unknown };
    if (node.kind === 'NameRef') out.add(node.name as string);
    else if (node.kind === 'CallExpr') out.add((node.name as { name: string }).name);
  });
  return [...out];
}

/**
 * The library functions a script needs, callees before callers (so each is declared before use), names the
 * script itself declares left out. Kusto resolves a query's own lets first, then stored functions.
 */
export function preludeFor(script: Script, library: FunctionLibrary | undefined): LibraryFunction[] {
  if (!library || !library.size) return [];
  const declared = new Set<string>();
  for (const st of script.statements) if (st.kind === 'LetStatement') declared.add(st.name.name);
  const order: LibraryFunction[] = [];
  const seen = new Set<string>();
  const visit = (name: string, depth: number) => {
    const key = name.toLowerCase();
    if (seen.has(key) || depth > 40) return;
    const fn = library.get(name);
    if (!fn) return;
    seen.add(key);
    for (const m of fn.mentions) if (m !== name) visit(m, depth + 1);
    order.push(fn);
  };
  for (const m of mentionedNames(script)) if (!declared.has(m)) visit(m, 0);
  return order;
}
