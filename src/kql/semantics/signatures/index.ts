/**
 * The signature catalog: FUNCTION_SIGNATURES (scalar) and AGGREGATE_SIGNATURES, by lower-case name.
 * Geospatial functions (`geo_*`) are many and all return dynamic/real values the binder does not inspect;
 * they are recognised by prefix (see `lookupFunction`).
 */
import { AGGREGATE_SIGNATURES as AGG_LIST } from './aggregates.js';
import { SCALAR_SIGNATURES } from './scalar-functions.js';
import type { FunctionSignature } from './types.js';

export type { FunctionSignature, ReturnRule } from './types.js';

function byName(list: FunctionSignature[]): ReadonlyMap<string, FunctionSignature> {
  return new Map(list.map((s) => [s.name.toLowerCase(), s]));
}

export const FUNCTION_SIGNATURES = byName(SCALAR_SIGNATURES);
export const AGGREGATE_SIGNATURES = byName(AGG_LIST);

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
