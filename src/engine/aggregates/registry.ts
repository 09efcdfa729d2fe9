/** All aggregate implementations by lower-case name (aliases included). Add new ones next to core.ts. */
import { CORE_AGGREGATES } from './core.js';
import { STATISTICS_AGGREGATES } from './statistics.js';
import type { AggregateFunction } from './types.js';

export type { AggregateFunction, AggState } from './types.js';

const ALIASES: Record<string, string> = { makeset: 'make_set', makelist: 'make_list', any: 'take_any', merge_tdigest: 'tdigest_merge', makeset_if: 'make_set_if', argmax: 'arg_max', argmin: 'arg_min' };

const byName = new Map([...CORE_AGGREGATES, ...STATISTICS_AGGREGATES].map((a) => [a.name, a]));
for (const [alias, target] of Object.entries(ALIASES)) byName.set(alias, byName.get(target)!);

export const AGGREGATES: ReadonlyMap<string, AggregateFunction> = byName;
