/**
 * The signature catalog: FUNCTION_SIGNATURES (scalar) and AGGREGATE_SIGNATURES, by lower-case name.
 * Geospatial functions (`geo_*`) are many and all return dynamic/real values the binder does not inspect;
 * they are recognised by prefix (see `lookupFunction`).
 */
import { AGGREGATE_SIGNATURES as AGG_LIST } from './aggregates.js';
import { SCALAR_SIGNATURES } from './scalar-functions.js';
import type { FunctionSignature } from './types.js';
import kustoSymbols from './kusto-symbols.json' with { type: 'json' };

export type { FunctionSignature, ReturnRule } from './types.js';

function byName(list: FunctionSignature[]): ReadonlyMap<string, FunctionSignature> {
  return new Map(list.map((s) => [s.name.toLowerCase(), s]));
}

/**
 * Kusto's deprecated names (`parsejson`, `argmax`, `anyif`, `makeset` ...) as Kusto.Language lists them with
 * their replacements (kusto-symbols.json): each resolves to its replacement's signature, so the binder takes
 * them and the engine runs the replacement. Names kqlite already knows keep their own entry.
 */
function withDeprecatedAliases(map: Map<string, FunctionSignature>, entries: readonly (readonly [string, string, string | null, string | null])[]): ReadonlyMap<string, FunctionSignature> {
  for (const [name, , , replacement] of entries) {
    const target = replacement ? map.get(replacement.toLowerCase()) : undefined;
    if (target && !map.has(name.toLowerCase())) map.set(name.toLowerCase(), target);
  }
  return map;
}

type Entry = [string, string, string | null, string | null];
/**
 * Deprecated names Kusto.Language knows but lists with no replacement: `array_strcat(arr, delim)` is the old
 * name of `strcat_array` (same arguments; Azure-Sentinel's rules still call it).
 */
const UNLISTED_REPLACEMENTS: Entry[] = [['array_strcat', 'none', null, 'strcat_array']];
export const FUNCTION_SIGNATURES = withDeprecatedAliases(new Map(byName(SCALAR_SIGNATURES)), [...(kustoSymbols.functions as Entry[]), ...UNLISTED_REPLACEMENTS]);
export const AGGREGATE_SIGNATURES = withDeprecatedAliases(new Map(byName(AGG_LIST)), kustoSymbols.aggregates as Entry[]);

const GEO: FunctionSignature = { name: 'geo_*', minArgs: 0, maxArgs: Infinity, returns: 'dynamic', aggregate: false, category: 'geo' };

export function lookupFunction(name: string): FunctionSignature | undefined {
  const low = name.toLowerCase();
  const sig = FUNCTION_SIGNATURES.get(low);
  if (sig) return sig;
  if (low.startsWith('geo_')) return { ...GEO, name: low };
  return undefined;
}

export function lookupAggregate(name: string): FunctionSignature | undefined {
  return AGGREGATE_SIGNATURES.get(name.toLowerCase());
}
